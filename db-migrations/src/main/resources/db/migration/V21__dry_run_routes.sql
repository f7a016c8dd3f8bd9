-- The dry-run router's header routes and mirroring per plan, as the plan's rollouts last set them
-- (Routes.canonical()): what a real router would hold, so that a crash test can read it back.
CREATE TABLE dry_run_routes
(
    plan_name   TEXT PRIMARY KEY,
    rollout_id  TEXT,
    routes      TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
