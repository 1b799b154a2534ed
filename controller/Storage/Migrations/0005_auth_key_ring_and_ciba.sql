-- Issue 11 item 6: what the embedded authorization server must share across controllers.
-- The signing key ring (Auth/SigningKeyRing.cs): generation 1, 2, 3... the primary key makes two controllers
-- creating the first key, or rotating at the same moment, agree on one row per generation. The private
-- key is PEM here, so the database is as secret as Auth:SigningKeyPath's file was (README, Security).
CREATE TABLE IF NOT EXISTS signing_keys (generation BIGINT PRIMARY KEY, kid TEXT NOT NULL, private_pem TEXT NOT NULL, created_at BIGINT NOT NULL);

-- CIBA requests (Auth/CibaRequests.cs), so bc-authorize on one controller and the token poll on another agree.
CREATE TABLE IF NOT EXISTS ciba_requests (
  auth_req_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, subscriber_id TEXT NOT NULL, scopes TEXT NOT NULL,
  expires_at BIGINT NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS ciba_requests_expires ON ciba_requests (expires_at);
