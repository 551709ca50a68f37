-- 006_reading_batch: readings merged by batch, not by row.
--
-- The collector names sensors the database already holds by their IDs
-- (the writer's RT_READING_ID rows): their readings go into sensor_reading
-- as they are, with no per-row ON CONFLICT.  What keeps a batch from
-- being stored twice (a crash after COMMIT, before its spool file is
-- removed) is its key, random, spooled with it: recorded here in the
-- transaction that stores its readings, and checked once per batch.
CREATE TABLE reading_batch (
	key		text PRIMARY KEY,
	merged_at	timestamptz NOT NULL DEFAULT now()
);

-- A key is needed only while its batch can still be in a spool: keys go
-- with the partitions of their days, in retention (001's function, which
-- now also forgets them).
CREATE INDEX reading_batch_merged_idx ON reading_batch (merged_at);

CREATE OR REPLACE FUNCTION bmcfleet_reading_retention(keep_days integer)
RETURNS integer
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
	DELETE FROM reading_batch
	    WHERE merged_at < (current_date - keep_days)::timestamptz;
	RETURN n;
END $$;
