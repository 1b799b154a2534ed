-- The schema the release before versioned migrations created at start: IStoreSchema.Statements of every
-- store, verbatim, in registration order (commit dc93acb). Its AddedColumns step is NOT here, so this is
-- also the schema of a database from before insights_subscriptions.device_mac: the oldest an upgrade meets.
-- Used only by the upgrade tests; never change it.

CREATE TABLE IF NOT EXISTS subscribers (subscriber_id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, device_mac TEXT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscriber_identifiers (identifier TEXT PRIMARY KEY, subscriber_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS subscribers_agent ON subscribers (agent_id);

CREATE TABLE IF NOT EXISTS agents (
    agent_id TEXT PRIMARY KEY,
    password_hash TEXT NULL,
    status_json TEXT NULL,
    boot_epoch BIGINT NOT NULL DEFAULT 0,
    online BIGINT NOT NULL DEFAULT 0,
    desired_generation BIGINT NOT NULL DEFAULT 0,
    observed_generation BIGINT NOT NULL DEFAULT 0,
    desired_json TEXT NULL,
    last_seen BIGINT NULL,
    deleted BIGINT NOT NULL DEFAULT 0);

CREATE TABLE IF NOT EXISTS notification_outbox (
    id TEXT PRIMARY KEY,
    sink TEXT NOT NULL,
    bearer_token TEXT NULL,
    content_type TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT NULL,
    last_error TEXT NULL,
    lease_owner TEXT NULL,
    lease_until BIGINT NULL
);
CREATE INDEX IF NOT EXISTS ix_notification_outbox_due ON notification_outbox (state, next_attempt_at);

CREATE TABLE IF NOT EXISTS qod_sessions (
  session_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, subscriber_id TEXT NULL, agent_id TEXT NOT NULL,
  device_ip TEXT NOT NULL, device_mac TEXT NULL, flow_key TEXT NOT NULL, request TEXT NOT NULL, sink_token TEXT NULL,
  duration BIGINT NOT NULL, status TEXT NOT NULL, status_info TEXT NULL, generation BIGINT NOT NULL,
  created_at BIGINT NOT NULL, started_at BIGINT NULL, expires_at BIGINT NULL, confirm_deadline BIGINT NULL, delete_at BIGINT NULL);
CREATE INDEX IF NOT EXISTS qod_sessions_agent ON qod_sessions (agent_id, status);
CREATE INDEX IF NOT EXISTS qod_sessions_device ON qod_sessions (agent_id, device_ip);

CREATE TABLE IF NOT EXISTS qos_assignments (
  assignment_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, subscriber_id TEXT NULL, agent_id TEXT NOT NULL,
  device_ip TEXT NOT NULL, device_mac TEXT NULL, device_key TEXT NOT NULL, request TEXT NOT NULL, sink_token TEXT NULL,
  status TEXT NOT NULL, status_info TEXT NULL, generation BIGINT NOT NULL, revoke_generation BIGINT NOT NULL,
  created_at BIGINT NOT NULL, started_at BIGINT NULL, delete_at BIGINT NULL);
CREATE INDEX IF NOT EXISTS qos_assignments_agent ON qos_assignments (agent_id, device_key);

CREATE TABLE IF NOT EXISTS application_profiles (
  profile_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, profile TEXT NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);

CREATE TABLE IF NOT EXISTS insights_subscriptions (
  subscription_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, subscriber_id TEXT NULL, agent_id TEXT NOT NULL,
  device_ip TEXT NOT NULL, profile_id TEXT NOT NULL, detail TEXT NOT NULL, sink TEXT NOT NULL, sink_token TEXT NULL,
  starts_at BIGINT NOT NULL, expires_at BIGINT NULL, max_events BIGINT NULL, initial_event BIGINT NULL,
  events_sent BIGINT NOT NULL, last_sent TEXT NULL);
CREATE INDEX IF NOT EXISTS insights_subscriptions_agent ON insights_subscriptions (agent_id);
CREATE INDEX IF NOT EXISTS insights_subscriptions_profile ON insights_subscriptions (profile_id);

CREATE TABLE IF NOT EXISTS home_device_qos (
  agent_id TEXT NOT NULL, device_mac TEXT NOT NULL, device_ip TEXT NOT NULL, service_class TEXT NOT NULL,
  client_id TEXT NOT NULL, subscriber_id TEXT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (agent_id, device_mac));
