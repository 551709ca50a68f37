-- 004_pet: Platform Event Traps as bmcfleetd received them, and which SEL
-- entry each announced.
--
-- A trap is a doorbell, the SEL is the record: bmcfleetd accepts a trap
-- only from a configured BMC's address (and matching GUID when known),
-- reads that BMC's SEL at once and links the entry the trap announced
-- (sel_event.pet_trap_id).  A trap whose entry never appeared (the read
-- and one retry a few seconds later) becomes an event of its own,
-- sel_event.source = 'pet', its 16 bytes made from the PET with record ID
-- 0000h (reserved by the spec: no real entry has it, so UNIQUE (bmc_id,
-- raw) never meets a real one).  Dropped traps are never stored: they are
-- counted in bmcfleetd's log.

CREATE TABLE pet_trap (
	id		bigserial PRIMARY KEY,
	bmc_id		bigint NOT NULL REFERENCES bmc ON DELETE CASCADE,
	received_at	timestamptz NOT NULL,
	source_addr	text NOT NULL,		-- the datagram's source address
	sequence	integer NOT NULL,	-- the PET's sequence/cookie
	local_ts	bigint,			-- the PET's local timestamp,
						-- seconds since 1970
	guid		text,			-- the PET's system GUID
	severity	text NOT NULL,		-- our severity words
	sensor_type	integer,
	sensor_number	integer,
	event_data	bytea,			-- event data 1-8
	specific_trap	bigint,
	datagram	bytea NOT NULL,		-- the whole UDP payload
	pet_only	boolean NOT NULL DEFAULT false, -- no SEL entry seen
	UNIQUE (bmc_id, sequence, received_at)
);
CREATE INDEX pet_trap_received_idx ON pet_trap (received_at);

ALTER TABLE sel_event
	ADD COLUMN source text NOT NULL DEFAULT 'sel'
	    CHECK (source IN ('sel', 'pet')),
	ADD COLUMN pet_trap_id bigint REFERENCES pet_trap ON DELETE SET NULL;
CREATE INDEX sel_event_pet_trap_idx ON sel_event (pet_trap_id)
	WHERE pet_trap_id IS NOT NULL;
