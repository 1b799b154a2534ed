-- Issue 11 item 4: the database, not a SELECT before the INSERT, keeps one active QoD session per device
-- and flow and one active QoS assignment per device, so concurrent creates on any number of controllers
-- get one 201 and 409s (the stores catch the unique violation, Storage/UniqueViolation.cs).
-- A database written before this release may already hold duplicates (PostgreSQL let concurrent POSTs
-- through). Rather than fail the upgrade, the later duplicates are ended as the 409 would have refused
-- them: the earliest created one stays (an AVAILABLE one before a REQUESTED one); the others become
-- UNAVAILABLE / NETWORK_TERMINATED, readable for the 360 s retention, then purged as usual. Their clients
-- get no status-changed notification (the migration has no outbox entry to write); README, Upgrades.
-- Same statements as the .postgres.sql variant except "now in ms".
UPDATE qod_sessions SET status = 'UNAVAILABLE', status_info = 'NETWORK_TERMINATED', confirm_deadline = NULL,
  delete_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 360000
WHERE status IN ('REQUESTED', 'AVAILABLE') AND EXISTS (
  SELECT 1 FROM qod_sessions AS kept
  WHERE kept.agent_id = qod_sessions.agent_id AND kept.device_ip = qod_sessions.device_ip AND kept.flow_key = qod_sessions.flow_key
    AND kept.status IN ('REQUESTED', 'AVAILABLE')
    AND (CASE kept.status WHEN 'AVAILABLE' THEN 0 ELSE 1 END, kept.created_at, kept.session_id)
      < (CASE qod_sessions.status WHEN 'AVAILABLE' THEN 0 ELSE 1 END, qod_sessions.created_at, qod_sessions.session_id));
CREATE UNIQUE INDEX IF NOT EXISTS qod_sessions_one_active_per_flow ON qod_sessions (agent_id, device_ip, flow_key)
  WHERE status IN ('REQUESTED', 'AVAILABLE');

-- An UNAVAILABLE assignment still holds its device until revoked (spec), which QosProvisioning's check
-- before the insert keeps; the index makes the race between two creates for a free device lose one.
UPDATE qos_assignments SET status = 'UNAVAILABLE', status_info = 'NETWORK_TERMINATED',
  delete_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + 360000
WHERE status IN ('REQUESTED', 'AVAILABLE') AND EXISTS (
  SELECT 1 FROM qos_assignments AS kept
  WHERE kept.agent_id = qos_assignments.agent_id AND kept.device_key = qos_assignments.device_key
    AND kept.status IN ('REQUESTED', 'AVAILABLE')
    AND (CASE kept.status WHEN 'AVAILABLE' THEN 0 ELSE 1 END, kept.created_at, kept.assignment_id)
      < (CASE qos_assignments.status WHEN 'AVAILABLE' THEN 0 ELSE 1 END, qos_assignments.created_at, qos_assignments.assignment_id));
CREATE UNIQUE INDEX IF NOT EXISTS qos_assignments_one_active_per_device ON qos_assignments (agent_id, device_key)
  WHERE status IN ('REQUESTED', 'AVAILABLE');
