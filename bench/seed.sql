-- Bulk seed for bench/cli.sh. Run by the sqlite3 CLI on a database whose schema dcrctl has
-- already created (so user_version/application_id are dcrctl's). The caller first runs
--   PRAGMA temp_store = MEMORY;           -- must precede: changing it drops temp tables
--   CREATE TEMP TABLE bench_params(n INTEGER, random_ids INTEGER);
--   INSERT INTO temp.bench_params VALUES (<N>, <0|1>);
-- Rows mimic what `dcrctl register` writes (see src/store/sqlite/clients.rs, src/ops/register.rs):
--   70% web confidential (client_secret_basic, code + refresh_token, one secret row),
--   20% native public   (none, loopback + private-use redirect, no secret),
--   10% service         (client_secret_post, client_credentials, no redirect_uris, one secret).
-- client_id_issued_at: 4 clients per second, ending an hour before now.
-- client_id: like dcrctl's own, 8 base-62 digits of the creation time in milliseconds, then
--   22 random characters (here lowercase hex, 88 bits); with random_ids = 1, 30 random hex
--   characters instead, as ids chosen by hand or imported from another registry would be, in
--   no relation to registration order. hashes: 'sha256:' || 64 hex chars.
-- One 'register' audit event per client, as dcrctl would have written.

PRAGMA journal_mode = OFF;       -- bulk load only; switched back to WAL at the end
PRAGMA synchronous = OFF;
PRAGMA cache_size = -1048576;    -- 1 GiB
PRAGMA foreign_keys = OFF;

BEGIN;

CREATE TEMP TABLE seed AS
WITH RECURSIVE s(n) AS (
    SELECT 1
    UNION ALL
    SELECT n + 1 FROM s WHERE n < (SELECT n FROM temp.bench_params)
),
timed(n, issued_at, millis, digits) AS (
    SELECT n, ms / 1000, ms, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
    FROM (SELECT n, (CAST(strftime('%s', 'now') AS INTEGER) - 3600) * 1000
                    - ((SELECT n FROM temp.bench_params) - n) * 250 AS ms FROM s)
)
SELECT
    n,
    CASE WHEN (SELECT random_ids FROM temp.bench_params) THEN lower(hex(randomblob(15)))
    -- as src/credentials.rs: creation time in 8 base-62 digits (ASCII order), then randomness
    ELSE substr(digits, millis / 3521614606208 % 62 + 1, 1)
    || substr(digits, millis / 56800235584 % 62 + 1, 1)
    || substr(digits, millis / 916132832 % 62 + 1, 1)
    || substr(digits, millis / 14776336 % 62 + 1, 1)
    || substr(digits, millis / 238328 % 62 + 1, 1)
    || substr(digits, millis / 3844 % 62 + 1, 1)
    || substr(digits, millis / 62 % 62 + 1, 1)
    || substr(digits, millis % 62 + 1, 1)
    || lower(hex(randomblob(11))) END AS client_id,
    n % 10 AS kind,
    issued_at
FROM timed;

INSERT INTO clients (client_id, client_name, metadata, token_endpoint_auth_method,
                     client_id_issued_at, client_secret_expires_at, registration_token_hash,
                     registered_via, updated_at, last_used_at, revision)
SELECT
    client_id,
    CASE WHEN kind <= 6 THEN 'App ' || n WHEN kind <= 8 THEN 'Mobile ' || n ELSE 'Service ' || n END,
    CASE
        WHEN kind <= 6 THEN json_object(
            'redirect_uris', json_array('https://app' || n || '.example.com/oauth/callback'),
            'token_endpoint_auth_method', 'client_secret_basic',
            'grant_types', json_array('authorization_code', 'refresh_token'),
            'response_types', json_array('code'),
            'application_type', 'web',
            'client_name', 'App ' || n,
            'scope', 'openid profile email',
            'contacts', json_array('ops+' || n || '@example.com'),
            'client_uri', 'https://app' || n || '.example.com')
        WHEN kind <= 8 THEN json_object(
            'redirect_uris', json_array('http://127.0.0.1/callback',
                                        'com.example.app' || n || ':/oauth2redirect'),
            'token_endpoint_auth_method', 'none',
            'grant_types', json_array('authorization_code', 'refresh_token'),
            'response_types', json_array('code'),
            'application_type', 'native',
            'client_name', 'Mobile ' || n)
        ELSE json_object(
            'redirect_uris', json_array(),
            'token_endpoint_auth_method', 'client_secret_post',
            'grant_types', json_array('client_credentials'),
            'response_types', json_array(),
            'application_type', 'web',
            'client_name', 'Service ' || n)
    END,
    CASE WHEN kind <= 6 THEN 'client_secret_basic' WHEN kind <= 8 THEN 'none' ELSE 'client_secret_post' END,
    issued_at,
    CASE WHEN kind IN (7, 8) THEN NULL ELSE 0 END,
    'sha256:' || lower(hex(randomblob(32))),
    'cli',
    issued_at,
    NULL,
    CASE WHEN kind IN (7, 8) THEN 1 ELSE 2 END
FROM temp.seed
ORDER BY n;           -- rowid order = registration order, as in a real registry

INSERT INTO client_secrets (client_id, secret_hash, expires_at, created_at, superseded_at)
SELECT client_id, 'sha256:' || lower(hex(randomblob(32))), 0, issued_at, NULL
FROM temp.seed WHERE kind NOT IN (7, 8)
ORDER BY n;

INSERT INTO events (at, actor, action, client_id, details)
SELECT issued_at, 'cli:bench', 'register', client_id,
       json_object('via', 'cli', 'fields',
                   json_array('redirect_uris', 'token_endpoint_auth_method', 'grant_types',
                              'response_types', 'application_type', 'client_name'))
FROM temp.seed ORDER BY n;

DROP TABLE temp.seed;
COMMIT;

PRAGMA journal_mode = WAL;
