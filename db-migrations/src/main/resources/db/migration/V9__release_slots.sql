-- Which of the router's two server groups (its settings' "stable" and "canary") a rollout releases
-- to. After a promotion that group is live; the plan's next rollout goes to the other one, from 0 %.
ALTER TABLE rollout ADD COLUMN slot text NOT NULL DEFAULT 'CANARY' CHECK (slot IN ('CANARY', 'STABLE'));
