-- SubscriberStore.UpsertAsync and DeleteAsync delete a subscriber's identifiers by subscriber_id on every
-- change; the table's only index is its primary key (identifier), so each of those was a full scan.
CREATE INDEX subscriber_identifiers_subscriber ON subscriber_identifiers (subscriber_id);
