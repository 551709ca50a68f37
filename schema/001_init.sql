-- 001_init: the fleet, what the BMCs told us, and what the collector saw.
-- Applied by `bmcfleet db migrate` in one transaction; recorded in
-- schema_migrations (created by the migration runner, not here).
-- Times are timestamptz; BMC times (SEL timestamps) are kept as the
-- BMC's own seconds too, because a BMC clock is a claim, not a fact.

-- The fleet, synced from bmcfleet.yaml on every run.  A BMC removed from
-- the config is retired (retired_at set), never deleted: its history stays.
CREATE TABLE bmc (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	address		text NOT NULL,
	port		integer NOT NULL DEFAULT 623
			    CHECK (port BETWEEN 1 AND 65535),
	labels		jsonb NOT NULL DEFAULT '{}',
	credential	text,		-- a credential set's name, never a secret
	settings	jsonb NOT NULL DEFAULT '{}', -- interface, suite, timeouts
	insecure	boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	retired_at	timestamptz
);
CREATE INDEX bmc_labels_idx ON bmc USING gin (labels);

CREATE TABLE bmc_group (
	id		serial PRIMARY KEY,
	name		text NOT NULL UNIQUE
);

CREATE TABLE bmc_group_member (
	group_id	integer NOT NULL REFERENCES bmc_group ON DELETE CASCADE,
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	PRIMARY KEY (group_id, bmc_id)
);
CREATE INDEX bmc_group_member_bmc_idx ON bmc_group_member (bmc_id);

-- What the BMC said of itself, and what worked (the next session starts
-- from here: cipher suite, workarounds).
CREATE TABLE bmc_profile (
	bmc_id		bigint PRIMARY KEY REFERENCES bmc ON DELETE CASCADE,
	manufacturer	integer,	-- IANA enterprise number
	product		integer,
	device_id	integer,
	device_rev	integer,
	firmware	text,		-- "4.40"
	ipmi_version	text,		-- "2.0"
	aux		bytea,
	guid		text,
	cipher_suite	integer,
	workarounds	text[] NOT NULL DEFAULT '{}',
	sdr_key		text,		-- sdr_cache.key last used
	fru_checked_at	timestamptz,
	sdr_checked_at	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- SDR repositories, shared by every BMC of one model, firmware and
-- repository timestamps (the same key as the CLI's on-disk cache).
CREATE TABLE sdr_cache (
	key		text PRIMARY KEY,
	manufacturer	integer NOT NULL,
	product		integer NOT NULL,
	firmware	text NOT NULL,
	add_ts		bigint NOT NULL,
	erase_ts	bigint NOT NULL,
	records		bytea NOT NULL,	-- the records back to back
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- One row per sensor per BMC; readings refer to it.
CREATE TABLE sensor (
	id		bigserial PRIMARY KEY,
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	owner		integer NOT NULL,
	number		integer NOT NULL,
	name		text NOT NULL,
	record_id	integer,
	sensor_type	text,		-- "Temperature"
	kind		text NOT NULL	-- threshold, discrete, event-only
			    CHECK (kind IN ('threshold', 'discrete',
			    'event-only')),
	units		text,
	thresholds	jsonb,		-- {"unc": 85, ...}, converted
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (bmc_id, owner, number, name)
);

-- Readings, partitioned by day so retention drops whole partitions.
-- Partitions are made by bmcfleet_reading_partition(day) before a write.
CREATE TABLE sensor_reading (
	sensor_id	bigint NOT NULL,
	bmc_id		bigint NOT NULL,
	ts		timestamptz NOT NULL,
	value		double precision,	-- NULL: no value (discrete, na)
	raw		smallint,
	status		text,		-- ok, nc, cr, nr, na
	state		text NOT NULL,	-- nominal, warning, critical, na
	states		integer		-- discrete state bits
) PARTITION BY RANGE (ts);
-- unique, so a batch merged twice (a crash between commit and spool
-- removal) adds nothing the second time
CREATE UNIQUE INDEX sensor_reading_sensor_ts_idx ON sensor_reading
    (sensor_id, ts);
CREATE INDEX sensor_reading_bmc_ts_idx ON sensor_reading (bmc_id, ts);

CREATE FUNCTION bmcfleet_reading_partition(day date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	part text := 'sensor_reading_' || to_char(day, 'YYYYMMDD');
BEGIN
	IF to_regclass(part) IS NOT NULL THEN
		RETURN part;
	END IF;
	-- two writers creating the same day's partition must not collide
	PERFORM pg_advisory_xact_lock(hashtext('bmcfleet_reading_partition'));
	EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF '
	    'sensor_reading FOR VALUES FROM (%L) TO (%L)', part,
	    day::timestamp AT TIME ZONE 'UTC',
	    (day + 1)::timestamp AT TIME ZONE 'UTC');
	RETURN part;
END $$;

-- Drop reading partitions wholly older than keep_days; returns how many.
CREATE FUNCTION bmcfleet_reading_retention(keep_days integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	r record;
	n integer := 0;
BEGIN
	FOR r IN SELECT c.relname FROM pg_inherits i
	    JOIN pg_class c ON c.oid = i.inhrelid
	    JOIN pg_class p ON p.oid = i.inhparent
	    WHERE p.relname = 'sensor_reading'
	      AND c.relname ~ '^sensor_reading_[0-9]{8}$'
	      AND to_date(right(c.relname, 8), 'YYYYMMDD') <
	          current_date - keep_days
	LOOP
		EXECUTE format('DROP TABLE %I', r.relname);
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;

-- SEL events, raw 16 bytes kept.  The same entry read twice has the same
-- bytes (record ID included), so (bmc_id, raw) deduplicates re-reads; an
-- entry logged after a clear or a wrap differs at least in its timestamp
-- or record ID, so it is kept.
CREATE TABLE sel_event (
	id		bigserial PRIMARY KEY,
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	record_id	integer NOT NULL,
	raw		bytea NOT NULL CHECK (length(raw) = 16),
	record_type	integer NOT NULL,
	bmc_ts		bigint,		-- the BMC's seconds, as logged
	pre_init	boolean NOT NULL DEFAULT false,
	ts		timestamptz,	-- bmc_ts as a time; NULL if pre-init
	sensor_type	text,
	sensor_number	integer,
	sensor		text,
	event_type	integer,
	event_offset	integer,
	direction	text,		-- asserted, deasserted
	description	text,
	severity	text NOT NULL DEFAULT 'info',
	seen_at		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (bmc_id, raw)
);
CREATE INDEX sel_event_bmc_ts_idx ON sel_event (bmc_id, ts);
CREATE INDEX sel_event_ts_idx ON sel_event (ts);
CREATE INDEX sel_event_severity_idx ON sel_event (severity, ts);

-- Where the last committed SEL read stopped, per BMC.  Advanced in the
-- same transaction as the events it covers.
CREATE TABLE sel_cursor (
	bmc_id		bigint PRIMARY KEY REFERENCES bmc ON DELETE CASCADE,
	last_record_id	integer,
	add_ts		bigint,		-- Get SEL Info's last add timestamp
	erase_ts	bigint,		-- and last erase: a change is a clear
	entries		integer,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- FRU snapshots: a new row only when a device's decoded fields change.
CREATE TABLE fru_snapshot (
	id		bigserial PRIMARY KEY,
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	fru_id		integer NOT NULL,
	name		text,
	fields		jsonb NOT NULL,	-- {"board.serial": "...", ...}
	raw		bytea,
	taken_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fru_snapshot_bmc_idx ON fru_snapshot (bmc_id, fru_id, taken_at);

-- A swapped DIMM or PSU: one row per changed field, old -> new.
CREATE TABLE inventory_change (
	id		bigserial PRIMARY KEY,
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	fru_id		integer NOT NULL,
	field		text NOT NULL,
	old_value	text,
	new_value	text,
	changed_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_change_bmc_idx ON inventory_change (bmc_id, changed_at);

-- Chassis power as seen, one row per change (and the first sighting).
CREATE TABLE power_state (
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	ts		timestamptz NOT NULL,
	power_on	boolean NOT NULL,
	source		text NOT NULL DEFAULT 'collector',
	PRIMARY KEY (bmc_id, ts)
);

-- DCMI power readings (the scheduler sizes batches from their peaks).
CREATE TABLE power_reading (
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	ts		timestamptz NOT NULL,
	power_on	boolean,
	current_w	integer,
	min_w		integer,
	max_w		integer,
	avg_w		integer,
	period_ms	bigint,
	PRIMARY KEY (bmc_id, ts)
);

-- Sweeps and their per-BMC outcome.
CREATE TABLE collection_run (
	id		bigserial PRIMARY KEY,
	key		text NOT NULL UNIQUE,	-- made by the collector, so
						-- results can be spooled
	collector	text NOT NULL,	-- host:pid
	started_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz,
	targets		integer NOT NULL DEFAULT 0,
	ok		integer NOT NULL DEFAULT 0,
	failed		integer NOT NULL DEFAULT 0,
	summary		jsonb
);

CREATE TABLE collection_result (
	run_id		bigint NOT NULL REFERENCES collection_run
			    ON DELETE CASCADE,
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	ok		boolean NOT NULL,
	reason		text,		-- timeout, auth, unreachable, ...
	error		text,
	duration_ms	integer,
	commands	integer,
	finished_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (run_id, bmc_id)
);
CREATE INDEX collection_result_bmc_idx ON collection_result (bmc_id,
    finished_at);

-- Which collector sweeps which BMC until when.  Taken with
-- FOR UPDATE SKIP LOCKED; an expired lease is anyone's.
CREATE TABLE collector_lease (
	bmc_id		bigint PRIMARY KEY REFERENCES bmc ON DELETE CASCADE,
	holder		text NOT NULL,
	acquired_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	swept_at	timestamptz	-- last completed sweep by the holder
);
CREATE INDEX collector_lease_expires_idx ON collector_lease (expires_at);
