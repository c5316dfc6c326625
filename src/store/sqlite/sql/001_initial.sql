-- Version 1 of the dcrctl schema. Public interface: see docs/storage.md. Never edit this file
-- once released; add a new numbered migration instead.

CREATE TABLE clients (
    client_id                  TEXT PRIMARY KEY NOT NULL,
    client_name                TEXT,
    metadata                   TEXT NOT NULL CHECK (json_valid(metadata)),
    token_endpoint_auth_method TEXT NOT NULL,
    client_id_issued_at        INTEGER NOT NULL,
    client_secret_expires_at   INTEGER,
    registration_token_hash    TEXT,
    registered_via             TEXT NOT NULL CHECK (registered_via IN ('cli', 'apply', 'http')),
    updated_at                 INTEGER NOT NULL,
    last_used_at               INTEGER,
    revision                   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX clients_by_name ON clients (client_name);
CREATE INDEX clients_by_issued_at ON clients (client_id_issued_at);

CREATE TABLE client_secrets (
    client_id     TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
    secret_hash   TEXT NOT NULL,
    expires_at    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    superseded_at INTEGER
);
CREATE INDEX client_secrets_by_client ON client_secrets (client_id);

CREATE TABLE initial_access_tokens (
    token_id   TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    note       TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL DEFAULT 0,
    max_uses   INTEGER,
    uses       INTEGER NOT NULL DEFAULT 0,
    revoked_at INTEGER
);

CREATE TABLE admins (
    name          TEXT PRIMARY KEY NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE events (
    event_id  INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    client_id TEXT,
    details   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE INDEX events_by_client ON events (client_id, event_id);
CREATE INDEX events_by_at ON events (at);
