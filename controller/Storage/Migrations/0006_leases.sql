-- Issue 11 item 8: named leases, so one controller of several sharing a database does a job that must run
-- once (the sandbox's simulated fleet on a shared broker, Sandbox/SimulatedFleet.cs). The holder renews
-- before expires_at (Unix ms); another controller takes the lease over once it has expired.
CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL);
