-- 005_alerts: the alert engine's queue, its cursors over the event
-- sources, and sensor state changes as a source of their own.
--
-- The engine (scheduler/alertd.c, in bmcfleetd) reads new rows of its
-- sources by cursor (sel_event, sensor_event, inventory_change,
-- collection_result), matches them against the config's rules, and writes
-- one alert_notification row per rule and action in the same transaction
-- that advances the cursors: nothing is lost or doubled across a crash.
-- A sender then delivers queued rows, in id order per action, marking
-- each sent or scheduling its next try.

-- Sensor state changes.  Kept where readings are merged: one statement
-- trigger per merged batch compares each sensor's newest reading of the
-- batch with the state remembered on the sensor, so a reading costs a
-- lookup by primary key and nothing is written unless the state moved.
-- 'na' (no reading) is not a state change: a sensor that misses a reading
-- keeps its last state.  The first state seen is remembered, not an event.
ALTER TABLE sensor
	ADD COLUMN last_state text,
	ADD COLUMN last_states integer,
	ADD COLUMN last_state_at timestamptz;

CREATE TABLE sensor_event (
	id		bigserial PRIMARY KEY,
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	sensor_id	bigint NOT NULL REFERENCES sensor ON DELETE CASCADE,
	old_state	text,		-- nominal, warning, critical
	new_state	text NOT NULL,
	old_states	integer,	-- discrete state bits
	new_states	integer,
	at		timestamptz NOT NULL	-- the reading's time
);
CREATE INDEX sensor_event_bmc_idx ON sensor_event (bmc_id, at);

CREATE FUNCTION bmcfleet_sensor_state() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	WITH latest AS (
		SELECT DISTINCT ON (sensor_id) sensor_id, ts, state, states
		FROM new_readings WHERE state <> 'na'
		ORDER BY sensor_id, ts DESC
	), diff AS (
		SELECT s.id, s.bmc_id, s.last_state, s.last_states,
		    l.state, l.states, l.ts
		FROM latest l JOIN sensor s ON s.id = l.sensor_id
		WHERE (s.last_state_at IS NULL OR l.ts > s.last_state_at)
		    AND (s.last_state, s.last_states) IS DISTINCT FROM
		    (l.state, l.states)
	), upd AS (
		UPDATE sensor s SET last_state = d.state,
		    last_states = d.states, last_state_at = d.ts
		FROM diff d WHERE s.id = d.id
	)
	INSERT INTO sensor_event (bmc_id, sensor_id, old_state, new_state,
	    old_states, new_states, at)
	SELECT bmc_id, id, last_state, state, last_states, states, ts
	FROM diff WHERE last_state IS NOT NULL;
	RETURN NULL;
END $$;

CREATE TRIGGER sensor_reading_state AFTER INSERT ON sensor_reading
    REFERENCING NEW TABLE AS new_readings
    FOR EACH STATEMENT EXECUTE FUNCTION bmcfleet_sensor_state();

-- collection_result in the order it was written, for the engine's cursor
-- (BMC unreachable for N sweeps in a row).
ALTER TABLE collection_result ADD COLUMN seq bigserial;
CREATE INDEX collection_result_seq_idx ON collection_result (seq);
CREATE INDEX collection_result_bmc_seq_idx ON collection_result (bmc_id, seq);

-- The engine wakes on 'bmcfleet_event' (003's trigger on sel_event) and
-- on 'bmcfleet_alert' for its other sources: once per statement, and
-- PostgreSQL folds equal notifications of one transaction into one.
CREATE FUNCTION bmcfleet_alert_wake() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('bmcfleet_alert', TG_TABLE_NAME);
	RETURN NULL;
END $$;

CREATE TRIGGER sensor_event_wake AFTER INSERT ON sensor_event
    FOR EACH STATEMENT EXECUTE FUNCTION bmcfleet_alert_wake();
CREATE TRIGGER inventory_change_wake AFTER INSERT ON inventory_change
    FOR EACH STATEMENT EXECUTE FUNCTION bmcfleet_alert_wake();
CREATE TRIGGER collection_result_wake AFTER INSERT ON collection_result
    FOR EACH STATEMENT EXECUTE FUNCTION bmcfleet_alert_wake();

-- Readers of these tables by id (the alert engine's cursors, events
-- --follow) must never meet a row committed after a higher id: with two
-- bmcfleetd writers, one transaction could take id 10, another id 11 and
-- commit first, and a reader that had moved past 11 would never see 10.
-- So each statement inserting into them first takes one transaction-level
-- advisory lock, held to commit: transactions that add events commit in
-- the order of their ids.  One writer (the usual case) never waits.
CREATE FUNCTION bmcfleet_event_order() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('bmcfleet_event_order'));
	RETURN NULL;
END $$;
CREATE TRIGGER sel_event_order BEFORE INSERT ON sel_event
	FOR EACH STATEMENT EXECUTE FUNCTION bmcfleet_event_order();
CREATE TRIGGER sensor_event_order BEFORE INSERT ON sensor_event
	FOR EACH STATEMENT EXECUTE FUNCTION bmcfleet_event_order();
CREATE TRIGGER inventory_change_order BEFORE INSERT ON inventory_change
	FOR EACH STATEMENT EXECUTE FUNCTION bmcfleet_event_order();
CREATE TRIGGER collection_result_order BEFORE INSERT ON collection_result
	FOR EACH STATEMENT EXECUTE FUNCTION bmcfleet_event_order();

-- A BMC's first SEL read is its history, not news: an entry stored while
-- the BMC has no SEL cursor yet (the writer merges a read's entries
-- before its cursor, in one transaction) is marked, and the alert engine
-- passes over it.  Without this, a new fleet's first sweep notified every
-- critical entry its SELs ever held (thousands, at about 19 a second).
ALTER TABLE sel_event ADD COLUMN first_read boolean NOT NULL DEFAULT false;
CREATE FUNCTION bmcfleet_sel_first_read() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.first_read := NEW.source = 'sel' AND NOT EXISTS
	    (SELECT 1 FROM sel_cursor c WHERE c.bmc_id = NEW.bmc_id);
	RETURN NEW;
END $$;
CREATE TRIGGER sel_event_first_read BEFORE INSERT ON sel_event
	FOR EACH ROW EXECUTE FUNCTION bmcfleet_sel_first_read();

-- Where the engine has read each source up to (the source's id; seq for
-- collection_result).  Starts at what exists now: alerts are about what
-- happens from here on.
CREATE TABLE alert_cursor (
	source		text PRIMARY KEY
			    CHECK (source IN ('sel', 'sensor', 'inventory',
			    'result')),
	last_id		bigint NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
INSERT INTO alert_cursor (source, last_id)
SELECT 'sel', coalesce(max(id), 0) FROM sel_event
UNION ALL SELECT 'sensor', 0
UNION ALL SELECT 'inventory', coalesce(max(id), 0) FROM inventory_change
UNION ALL SELECT 'result', coalesce(max(seq), 0) FROM collection_result;

-- Every notification: queued before anything is sent, then sent, failed
-- for good (older than alerts.give_up) or suppressed when made (dedup:
-- the same condition within the rule's window; rate: over the action's
-- rate limit).  One row per rule, action and source row, so an event read
-- twice notifies once.
CREATE TABLE alert_notification (
	id		bigserial PRIMARY KEY,
	created_at	timestamptz NOT NULL DEFAULT now(),
	rule		text NOT NULL,
	action		text NOT NULL,
	recipient	text,		-- URL host, addresses, syslog socket
	kind		text NOT NULL CHECK (kind IN ('problem', 'recovery')),
	source		text NOT NULL,	-- sel, pet, sensor, unreachable,
					-- inventory
	source_id	bigint NOT NULL,
	bmc_id		bigint REFERENCES bmc ON DELETE SET NULL,
	bmc		text,
	dedup_key	text NOT NULL,
	severity	text NOT NULL,
	state		text NOT NULL DEFAULT 'queued'
			    CHECK (state IN ('queued', 'sent', 'failed',
			    'suppressed')),
	reason		text,		-- suppressed: dedup, rate
	tries		integer NOT NULL DEFAULT 0,
	next_try_at	timestamptz NOT NULL DEFAULT now(),
	last_error	text,
	sent_at		timestamptz,
	event_at	timestamptz,
	subject		text NOT NULL,
	text		text NOT NULL,	-- the rendered message: lines
	body		text NOT NULL,	-- and as JSON (webhooks)
	UNIQUE (rule, action, source, source_id)
);
CREATE INDEX alert_notification_queue_idx ON alert_notification (action, id)
	WHERE state = 'queued';
CREATE INDEX alert_notification_key_idx ON alert_notification
	(dedup_key, id DESC) WHERE state <> 'suppressed';
CREATE INDEX alert_notification_created_idx ON alert_notification
	(created_at);
