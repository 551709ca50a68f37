-- 003_events: a live event stream, acknowledgements, and firmware changes
-- as inventory changes.

-- Every stored SEL event is announced on channel 'bmcfleet_event' with its
-- sel_event.id as the payload (text).  `bmcfleet events --follow` LISTENs,
-- and so may anyone else: the notification is sent at COMMIT, so a
-- listener that fetches id > last seen finds the row.  A re-read entry
-- (ON CONFLICT DO NOTHING) inserts nothing and announces nothing.
CREATE FUNCTION bmcfleet_event_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('bmcfleet_event', NEW.id::text);
	RETURN NULL;
END $$;

CREATE TRIGGER sel_event_notify AFTER INSERT ON sel_event
    FOR EACH ROW EXECUTE FUNCTION bmcfleet_event_notify();

-- Who acknowledged which event, when, and why.  Every ack is kept (an
-- event may be acked again with a new note); the reports show the latest.
CREATE TABLE event_ack (
	id		bigserial PRIMARY KEY,
	event_id	bigint NOT NULL REFERENCES sel_event ON DELETE CASCADE,
	who		text NOT NULL,		-- unix user
	note		text,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_ack_event_idx ON event_ack (event_id, at);

-- The system (BIOS) firmware version, Get System Info Parameters'
-- parameter 1; NULL until a BMC has told it.
ALTER TABLE bmc_profile ADD COLUMN system_firmware text;

-- A firmware change is an inventory change, recorded where the profile is
-- written so that no writer can overwrite a version unseen.  fru_id -1
-- marks the BMC itself rather than a FRU device; fields 'bmc.firmware'
-- (Get Device ID) and 'system.firmware' (the BIOS).  Nothing known on
-- either side (first sighting, or a sweep that did not learn it) is not a
-- change.
CREATE FUNCTION bmcfleet_firmware_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.firmware IS NOT NULL AND NEW.firmware IS NOT NULL AND
	    OLD.firmware IS DISTINCT FROM NEW.firmware THEN
		INSERT INTO inventory_change (bmc_id, fru_id, field,
		    old_value, new_value)
		VALUES (NEW.bmc_id, -1, 'bmc.firmware', OLD.firmware,
		    NEW.firmware);
	END IF;
	IF OLD.system_firmware IS NOT NULL AND
	    NEW.system_firmware IS NOT NULL AND
	    OLD.system_firmware IS DISTINCT FROM NEW.system_firmware THEN
		INSERT INTO inventory_change (bmc_id, fru_id, field,
		    old_value, new_value)
		VALUES (NEW.bmc_id, -1, 'system.firmware',
		    OLD.system_firmware, NEW.system_firmware);
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER bmc_profile_firmware_change AFTER UPDATE ON bmc_profile
    FOR EACH ROW EXECUTE FUNCTION bmcfleet_firmware_change();
