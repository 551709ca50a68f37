-- 008_state_claims: readings whose state did not move skip the state
-- trigger's per-sensor lookup, the database still deciding.
--
-- 007's trigger looked up the sensor of every reading (2.5 us a reading
-- when a batch's readings are spread over the fleet), though a sweep
-- moves few states.  The collector remembers each sensor's state as the
-- database holds it and sends the readings whose state equals it apart
-- (collector/dbw.c: RT_READING_SAME, COPYed first), with a claim per BMC:
-- the digest of that BMC's states as it believes the database holds
-- them.  The trigger compares each claim with the digest kept here (one
-- probe a BMC, not a sensor): a claim that holds means none of that
-- BMC's states moved since the collector learnt them, and its readings
-- that repeat a state change nothing; a claim that does not hold (another
-- collector, a batch set aside, a lost commit) sends that BMC's readings
-- the whole way and asks the collector to learn the BMC's states again
-- (bmcfleet.resync, read back before COMMIT).  A stale memory costs the
-- lookup it meant to save, never a state change.

-- A BMC's digest: the XOR over its sensors with a state of
-- bmcfleet_state_hash.  Kept by the state trigger, the only writer of
-- sensor.last_state; any other writer of it must keep this too.
CREATE TABLE bmc_state_digest (
	bmc_id	bigint PRIMARY KEY REFERENCES bmc ON DELETE CASCADE,
	digest	bigint NOT NULL
);

-- One sensor's state, hashed: the first 8 bytes of SHA-256 of
-- "<id>:<state>:<states>" (states empty when NULL), big-endian, signed;
-- 0 for no state.  collector/sensorids.c computes the same.
CREATE FUNCTION bmcfleet_state_hash(id bigint, state text, states integer)
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN state IS NULL THEN 0::bigint ELSE
	    ('x' || left(encode(sha256(convert_to(id::text || ':' || state ||
	    ':' || coalesce(states::text, ''), 'UTF8')), 'hex'), 16))::bit(64)::bigint
	END
$$;

-- XOR as an aggregate (bit_xor is PostgreSQL 14's; this works on 13).
CREATE AGGREGATE bmcfleet_xor (bigint) (
	SFUNC = int8xor, STYPE = bigint, INITCOND = '0'
);

INSERT INTO bmc_state_digest (bmc_id, digest)
SELECT bmc_id, bmcfleet_xor(bmcfleet_state_hash(id, last_state, last_states))
FROM sensor WHERE last_state IS NOT NULL GROUP BY bmc_id;

-- The state trigger (007's joins), with the claims and the digest.  The
-- sensors whose state moves are locked as they are read (FOR NO KEY
-- UPDATE, the lock their UPDATE takes anyway): two
-- writers moving one sensor at once (two collectors on one BMC, or a
-- collector and a replay) had the second compare with the state before
-- the first's, write the same change again, and XOR it out of the
-- digest: the digest said nothing moved while the state had, and the
-- claims held over a wrong state for good.  Locked, the second re-reads
-- the row after the first commits and sees its state as it is.
--
-- The claims: bmcfleet.claims, set
-- by the writer for the statement that inserts the readings of repeated
-- states, "<bmc_id>:<digest>,..." (an empty digest: no claim), is read
-- and cleared by the first statement that fires this trigger, so every
-- other insert into sensor_reading takes the whole way.  The BMCs whose
-- claim did not hold are appended to bmcfleet.resync ("<id>,...").
CREATE OR REPLACE FUNCTION bmcfleet_sensor_state() RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_nestloop = on SET enable_mergejoin = on
AS $$
DECLARE
	lo bigint;
	hi bigint;
	n bigint;
	claims text := current_setting('bmcfleet.claims', true);
	stale bigint[];		-- NULL: every reading
BEGIN
	IF claims IS NOT NULL AND claims <> '' THEN
		PERFORM set_config('bmcfleet.claims', '', true);
		SELECT coalesce(array_agg(DISTINCT c.bmc), '{}') INTO stale
		FROM (SELECT split_part(x, ':', 1)::bigint AS bmc,
		    nullif(split_part(x, ':', 2), '')::bigint AS digest
		    FROM unnest(string_to_array(claims, ',')) x) c
		LEFT JOIN bmc_state_digest g ON g.bmc_id = c.bmc
		WHERE c.digest IS NULL OR coalesce(g.digest, 0) <> c.digest;
		IF cardinality(stale) = 0 THEN
			RETURN NULL;
		END IF;
		PERFORM set_config('bmcfleet.resync', concat_ws(',',
		    nullif(current_setting('bmcfleet.resync', true), ''),
		    array_to_string(stale, ',')), true);
	END IF;
	SELECT min(sensor_id), max(sensor_id), count(*) INTO lo, hi, n
	    FROM new_readings WHERE state <> 'na'
	    AND (stale IS NULL OR bmc_id = ANY (stale));
	IF n = 0 THEN
		RETURN NULL;
	END IF;
	IF hi - lo < 4 * n THEN
		PERFORM set_config('enable_nestloop', 'off', true);
		WITH latest AS (
			SELECT DISTINCT ON (sensor_id) sensor_id, ts, state,
			    states
			FROM new_readings WHERE state <> 'na'
			    AND (stale IS NULL OR bmc_id = ANY (stale))
			ORDER BY sensor_id, ts DESC
		), diff AS (
			SELECT s.id, s.bmc_id, s.last_state, s.last_states,
			    l.state, l.states, l.ts
			FROM latest l JOIN sensor s ON s.id = l.sensor_id
			    AND s.id BETWEEN lo AND hi
			WHERE (s.last_state_at IS NULL OR
			    l.ts > s.last_state_at)
			    AND (s.last_state, s.last_states) IS DISTINCT FROM
			    (l.state, l.states)
			FOR NO KEY UPDATE OF s
		), upd AS (
			UPDATE sensor s SET last_state = d.state,
			    last_states = d.states, last_state_at = d.ts
			FROM diff d WHERE s.id = d.id
			    AND s.id BETWEEN lo AND hi
		), dig AS (
			INSERT INTO bmc_state_digest AS g (bmc_id, digest)
			SELECT bmc_id, bmcfleet_xor(bmcfleet_state_hash(id,
			    last_state, last_states) # bmcfleet_state_hash(id,
			    state, states))
			FROM diff GROUP BY bmc_id
			ON CONFLICT (bmc_id) DO UPDATE
			    SET digest = g.digest # EXCLUDED.digest
		)
		INSERT INTO sensor_event (bmc_id, sensor_id, old_state,
		    new_state, old_states, new_states, at)
		SELECT bmc_id, id, last_state, state, last_states, states, ts
		FROM diff WHERE last_state IS NOT NULL;
	ELSE
		PERFORM set_config('enable_mergejoin', 'off', true);
		WITH latest AS (
			SELECT DISTINCT ON (sensor_id) sensor_id, ts, state,
			    states
			FROM new_readings WHERE state <> 'na'
			    AND (stale IS NULL OR bmc_id = ANY (stale))
			ORDER BY sensor_id, ts DESC
		), diff AS (
			SELECT s.id, s.bmc_id, s.last_state, s.last_states,
			    l.state, l.states, l.ts
			FROM latest l JOIN sensor s ON s.id = l.sensor_id
			WHERE (s.last_state_at IS NULL OR
			    l.ts > s.last_state_at)
			    AND (s.last_state, s.last_states) IS DISTINCT FROM
			    (l.state, l.states)
			FOR NO KEY UPDATE OF s
		), upd AS (
			UPDATE sensor s SET last_state = d.state,
			    last_states = d.states, last_state_at = d.ts
			FROM diff d WHERE s.id = d.id
		), dig AS (
			INSERT INTO bmc_state_digest AS g (bmc_id, digest)
			SELECT bmc_id, bmcfleet_xor(bmcfleet_state_hash(id,
			    last_state, last_states) # bmcfleet_state_hash(id,
			    state, states))
			FROM diff GROUP BY bmc_id
			ON CONFLICT (bmc_id) DO UPDATE
			    SET digest = g.digest # EXCLUDED.digest
		)
		INSERT INTO sensor_event (bmc_id, sensor_id, old_state,
		    new_state, old_states, new_states, at)
		SELECT bmc_id, id, last_state, state, last_states, states, ts
		FROM diff WHERE last_state IS NOT NULL;
	END IF;
	RETURN NULL;
END $$;
