-- The trace that queued a notification (W3C traceparent) and its x-correlator, so the delivery, done
-- later by a background loop, perhaps on another instance, is a span of that trace (NotificationOutbox).
ALTER TABLE notification_outbox ADD COLUMN traceparent TEXT NULL;
ALTER TABLE notification_outbox ADD COLUMN correlator TEXT NULL;
