-- 007_reading_cost: less server CPU per stored reading.
--
-- Measured on 330,000 readings (10,000 BMCs x 33 sensors, 75 batches of
-- 4,400) COPYed into a day partition holding 660,000: 4.4-4.7 us of
-- server CPU a reading with 006's schema, 1.1 us of it the heap, 1.3 us
-- the unique (sensor_id, ts) index, 0.6 us the (bmc_id, ts) index, 1.2 us
-- the state trigger (docs/NOTES.md, "Server CPU per reading").

-- (bmc_id, ts) had one reader, `bmcfleet status`'s newest reading of a
-- BMC, which now takes it from each sensor's newest reading by (sensor_id,
-- ts) as its other parts do (store/statusq.c).  One index less to keep per
-- reading, and a day partition's working set smaller by a third of its
-- indexes.
DROP INDEX IF EXISTS sensor_reading_bmc_ts_idx;

-- The state trigger, same results (005): each sensor's newest reading of
-- the batch against the state remembered on the sensor.  What changes is
-- how the sensors are found.  A batch whose sensor IDs are dense (a
-- writer's batch holds a few hundred BMCs' sensors, created together)
-- walks sensor's primary key once over the batch's range (a merge join),
-- where one probe per reading cost a third more; a sparse batch (readings
-- of a few sensors far apart) keeps one probe per sensor.  The update
-- of the sensors whose state moved walks the same range: with nested
-- loops off, an update joined by id alone merge-joined the whole key
-- (every sensor of the fleet) for each batch with a change.  Hash joins are
-- off: with a plan that hashes the batch, the planner scans every sensor
-- of the fleet for each batch (25 us a reading, measured).  Each branch
-- is its own statement, planned under its own settings: a cached plan
-- does not follow settings changed after it was made.  The settings are
-- the function's own (SET clauses): restored when it returns, so the rest
-- of the writer's transaction plans as before.
CREATE OR REPLACE FUNCTION bmcfleet_sensor_state() RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_nestloop = on SET enable_mergejoin = on
AS $$
DECLARE
	lo bigint;
	hi bigint;
	n bigint;
BEGIN
	SELECT min(sensor_id), max(sensor_id), count(*) INTO lo, hi, n
	    FROM new_readings WHERE state <> 'na';
	IF n = 0 THEN
		RETURN NULL;
	END IF;
	IF hi - lo < 4 * n THEN
		PERFORM set_config('enable_nestloop', 'off', true);
		WITH latest AS (
			SELECT DISTINCT ON (sensor_id) sensor_id, ts, state,
			    states
			FROM new_readings WHERE state <> 'na'
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
		), upd AS (
			UPDATE sensor s SET last_state = d.state,
			    last_states = d.states, last_state_at = d.ts
			FROM diff d WHERE s.id = d.id
			    AND s.id BETWEEN lo AND hi
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
			ORDER BY sensor_id, ts DESC
		), diff AS (
			SELECT s.id, s.bmc_id, s.last_state, s.last_states,
			    l.state, l.states, l.ts
			FROM latest l JOIN sensor s ON s.id = l.sensor_id
			WHERE (s.last_state_at IS NULL OR
			    l.ts > s.last_state_at)
			    AND (s.last_state, s.last_states) IS DISTINCT FROM
			    (l.state, l.states)
		), upd AS (
			UPDATE sensor s SET last_state = d.state,
			    last_states = d.states, last_state_at = d.ts
			FROM diff d WHERE s.id = d.id
		)
		INSERT INTO sensor_event (bmc_id, sensor_id, old_state,
		    new_state, old_states, new_states, at)
		SELECT bmc_id, id, last_state, state, last_states, states, ts
		FROM diff WHERE last_state IS NOT NULL;
	END IF;
	RETURN NULL;
END $$;
