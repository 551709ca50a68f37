-- 002_scheduler: power plans, their hosts, and the audit log.
-- A plan's spec is stored as JSON (scheduler/plan.c's canonical form) so a
-- resumed plan runs exactly what was applied, not whatever the file says
-- now.  Host rows carry the state machine that makes a resume safe:
--   pending -> skipped                 (already in the target state)
--   pending -> commanding -> commanded -> confirmed | failed
-- 'commanding' is written (committed) before a power command is sent, so
-- after a crash the executor knows the command may have gone out and asks
-- the BMC before it sends anything again.

CREATE TABLE power_plan (
	id		bigserial PRIMARY KEY,
	name		text,
	spec		jsonb NOT NULL,
	state		text NOT NULL DEFAULT 'stored'
			    CHECK (state IN ('stored', 'scheduled', 'running',
			    'paused', 'aborted', 'failed', 'done')),
	run_at		timestamptz,		-- plan apply --at
	created_by	text NOT NULL,		-- unix user
	created_from	text NOT NULL,		-- host:pid (tty)
	created_at	timestamptz NOT NULL DEFAULT now(),
	started_at	timestamptz,
	finished_at	timestamptz,
	stage		integer,		-- the stage in progress
	reason		text,			-- why paused, aborted, failed
	executor	text			-- host:pid of the last executor
);
CREATE INDEX power_plan_due_idx ON power_plan (run_at)
    WHERE state = 'scheduled';

CREATE TABLE power_plan_host (
	plan_id		bigint NOT NULL REFERENCES power_plan ON DELETE CASCADE,
	stage		integer NOT NULL,	-- index into spec.stages
	name		text NOT NULL,		-- the BMC's name
	bmc_id		bigint REFERENCES bmc ON DELETE SET NULL,
	batch		integer NOT NULL,
	est_watts	integer,
	state		text NOT NULL DEFAULT 'pending'
			    CHECK (state IN ('pending', 'skipped',
			    'commanding', 'commanded', 'confirmed', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	power_before	text,			-- on, off, unknown
	power_after	text,
	commanded_at	timestamptz,
	confirmed_at	timestamptz,
	error		text,
	PRIMARY KEY (plan_id, stage, name)
);

-- Every action, by whom, from where, on what, with what result.
CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	who		text NOT NULL,		-- unix user
	origin		text NOT NULL,		-- host:pid, and the tty if any
	plan_id		bigint REFERENCES power_plan ON DELETE SET NULL,
	stage		integer,
	batch		integer,
	host		text,			-- NULL for plan-level entries
	operation	text NOT NULL,		-- on, off, soft-off, cycle, ...
						-- plan-start, plan-pause, ...
	result		text NOT NULL,		-- ok, skipped, failed, ...
	detail		text,
	duration_ms	integer,
	power_before	text,
	power_after	text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_host_idx ON audit_log (host, at);
CREATE INDEX audit_log_plan_idx ON audit_log (plan_id, at);

-- Peak draw while on, for batch budgets: the scheduler's estimate.
CREATE INDEX power_reading_peak_idx ON power_reading (bmc_id, ts)
    WHERE power_on;
