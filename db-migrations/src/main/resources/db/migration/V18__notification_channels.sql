-- Notification channels beyond the webhook (chat services, email, PagerDuty, GitHub statuses): each
-- delivery keeps its channel as the plan wrote it (secret references, never values) and the event it
-- reports; url and format now name the destination and the channel's type, for people.
ALTER TABLE notification_outbox
    ADD COLUMN channel JSONB       NULL,
    ADD COLUMN event   VARCHAR(32) NULL;

-- The deliveries given up, newest first: what GET /api/v1/notifications?state=failed lists.
CREATE INDEX notification_outbox_given_up_idx ON notification_outbox (given_up_at DESC, id DESC)
    WHERE given_up_at IS NOT NULL;
