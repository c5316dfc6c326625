#!/usr/bin/env bash
# bench/cli.sh — whole-process benchmarks of the dcrctl CLI on large registries.
#
# Run from anywhere (it finds the repository from its own path):
#
#     bench/cli.sh
#
# What it does:
#   1. installs what is missing (hyperfine, sqlite3, GNU time, jq; via apt-get, needs root or
#      sudo) and builds `cargo build --release`. hyperfine < 1.16 (Debian 12 ships 1.15) has no
#      --input, so a hyperfine 1.20 is built once with `cargo install` into $BENCH_OUT/tools
#      (~90 s; BENCH_CARGO_HYPERFINE=0 skips that, and verify-secret is then timed via sh -c);
#   2. seeds two registries with the real schema (created by `dcrctl --db X list`) and
#      BENCH_SMALL / BENCH_LARGE clients bulk-inserted by the sqlite3 CLI (bench/seed.sql, one
#      transaction, ~30 s for 1,000,000 clients), checks that `dcrctl show` and `dcrctl list`
#      read them, and keeps them as pristine seeds in $BENCH_OUT (reused on later runs; every
#      benchmark works on a fresh copy);
#   3. measures with hyperfine (JSON exports in $BENCH_OUT/*.json):
#        a. `dcrctl register` vs a durable single-row `sqlite3 INSERT` (WAL, synchronous=FULL)
#           on copies of the 100k registry, in the same hyperfine run;  target ratio <= 1.3
#        b. `dcrctl show ID` on the 1M registry;                          target median <= 5 ms
#        c. `dcrctl -o json list > /dev/null` of 1M clients;               target median <= 3 s
#           and peak RSS (GNU time %M, max over BENCH_RSS_RUNS runs)      target <= 50 MB
#        d. `dcrctl verify-secret ID` with the secret on stdin (100k);    target median <= 5 ms
#           plus, for information, the same when every run must durably write last_used_at
#           (--prepare resets it; repeated runs within one second otherwise write nothing,
#           because SQLite skips rewriting an unchanged row)
#   4. prints syscall diagnostics (strace, when present) and a summary with PASS/FAIL.
#
# Exit status: 0 when every target passes, 1 when one fails, 2 on a setup error.
#
# Environment overrides (defaults in brackets):
#   BENCH_RUNS [30]          hyperfine runs for the cheap benchmarks (register, show, verify)
#   BENCH_WARMUP [3]         hyperfine warmup runs for the cheap benchmarks
#   BENCH_LIST_RUNS [5]      hyperfine runs for the 1M list (each takes seconds)
#   BENCH_LIST_WARMUP [1]    warmup runs for the 1M list
#   BENCH_RSS_RUNS [3]       /usr/bin/time runs measuring the list's peak RSS
#   BENCH_SMALL [100000]     clients in the small registry (register, verify-secret)
#   BENCH_LARGE [1000000]    clients in the large registry (show, list)
#   BENCH_OUT [bench/out]    work folder (seeds, copies, JSON exports); gitignored
#   BENCH_ONLY [register show list verify]   which benchmarks to run; "seed" and
#                            "seed-random-ids" only make sure that the large seed (with dcrctl's
#                            time-ordered ids, or random ones) is current, for bench/maintenance.sh
#   BENCH_RESEED [0]         1 = rebuild the seeds even if they exist
#   BENCH_BUILD [1]          0 = skip `cargo build --release` (use the existing binary)
#   BENCH_INSTALL [1]        0 = never call apt-get (fail if a tool is missing)
#   BENCH_DIAG [1]           0 = skip the strace diagnostics
#   BENCH_LIST_TABLE [0]     1 = also time the table-format `dcrctl list` (informational)
#   BENCH_CARGO_HYPERFINE [1]  0 = never `cargo install` a newer hyperfine
#   CARGO_TARGET_DIR         honoured when locating the binary
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"

RUNS="${BENCH_RUNS:-30}"
WARMUP="${BENCH_WARMUP:-3}"
LIST_RUNS="${BENCH_LIST_RUNS:-5}"
LIST_WARMUP="${BENCH_LIST_WARMUP:-1}"
RSS_RUNS="${BENCH_RSS_RUNS:-3}"
SMALL="${BENCH_SMALL:-100000}"
LARGE="${BENCH_LARGE:-1000000}"
OUT="${BENCH_OUT:-$BENCH_DIR/out}"
ONLY="${BENCH_ONLY:-register show list verify}"
RESEED="${BENCH_RESEED:-0}"
BUILD="${BENCH_BUILD:-1}"
INSTALL="${BENCH_INSTALL:-1}"
DIAG="${BENCH_DIAG:-1}"
LIST_TABLE="${BENCH_LIST_TABLE:-0}"
CARGO_HYPERFINE="${BENCH_CARGO_HYPERFINE:-1}"

# Targets.
TARGET_REGISTER_RATIO=1.3
TARGET_SHOW_MS=5
TARGET_LIST_S=3
TARGET_LIST_RSS_MB=50
TARGET_VERIFY_MS=5

for v in RUNS WARMUP LIST_RUNS LIST_WARMUP RSS_RUNS SMALL LARGE; do
    if ! [[ "${!v}" =~ ^[0-9]{1,9}$ ]]; then
        echo "bench: BENCH_$v must be a non-negative integer (got '${!v}')" >&2
        exit 2
    fi
done
# Keep every loop bounded and every registry big enough to sample from.
if (( RUNS < 2 || LIST_RUNS < 2 || RSS_RUNS < 1 || RUNS > 10000 || LIST_RUNS > 1000 \
      || RSS_RUNS > 1000 || WARMUP > 1000 || LIST_WARMUP > 100 || SMALL < 100 || LARGE < 100 )); then
    echo "bench: run counts out of range (runs 2..10000, list runs 2..1000, rss runs 1..1000," \
         "registries >= 100 clients)" >&2
    exit 2
fi

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 2; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------------------------
# 1. Tools and build
# ---------------------------------------------------------------------------------------------

SUDO=""
if (( EUID != 0 )) && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_install() {
    [[ "$INSTALL" == 1 ]] || die "missing $* and BENCH_INSTALL=0"
    command -v apt-get >/dev/null 2>&1 || die "missing $* and no apt-get; install it by hand"
    log "installing $*"
    if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$@" >&2; then
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -q >&2
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$@" >&2
    fi
}

command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
command -v sqlite3 >/dev/null 2>&1 || apt_install sqlite3
[[ -x /usr/bin/time ]] || apt_install time
command -v jq >/dev/null 2>&1 || apt_install jq

# Nothing below reads the terminal: benchmarked commands must not see a tty on stdin (dcrctl
# would otherwise be allowed to prompt).
exec </dev/null

if [[ "$BUILD" == 1 ]]; then
    log "cargo build --release"
    (cd "$REPO" && cargo build --release --quiet) >&2
fi
DCRCTL="${CARGO_TARGET_DIR:-$REPO/target}/release/dcrctl"
[[ -x "$DCRCTL" ]] || die "no binary at $DCRCTL (build with cargo build --release)"

mkdir -p "$OUT/work"

# hyperfine >= 1.16 has --input (stdin from a file without a shell in the measurement); older
# ones need `sh -c '... < file'`. Prefer the system one, else one built into $OUT/tools.
has_input() { "$1" --help 2>/dev/null | grep -q -- '--input'; }
HYPERFINE="$(command -v hyperfine)"
if ! has_input "$HYPERFINE"; then
    if [[ -x "$OUT/tools/bin/hyperfine" ]] && has_input "$OUT/tools/bin/hyperfine"; then
        HYPERFINE="$OUT/tools/bin/hyperfine"
    elif [[ "$CARGO_HYPERFINE" == 1 ]] && command -v cargo >/dev/null 2>&1; then
        log "$("$HYPERFINE" --version) has no --input; cargo install hyperfine@1.20.0 into $OUT/tools"
        # 1.20.0: the newest that builds with rustc 1.88+.
        if cargo install --locked --quiet --root "$OUT/tools" hyperfine@1.20.0 >&2 \
            && has_input "$OUT/tools/bin/hyperfine"; then
            HYPERFINE="$OUT/tools/bin/hyperfine"
        else
            log "cargo install hyperfine failed; verify-secret will be timed through sh -c"
        fi
    fi
fi
HF_HAS_INPUT=0
if has_input "$HYPERFINE"; then HF_HAS_INPUT=1; fi
q() { printf '%q' "$1"; }   # quote for hyperfine's command splitting / the shell

# ---------------------------------------------------------------------------------------------
# 2. Seeds
# ---------------------------------------------------------------------------------------------

sql() { sqlite3 -init /dev/null -batch -bail "$@"; }

# What a seed depends on: its size, seed.sql, and the schema version dcrctl creates.
SCHEMA_VERSION="$(
    tmp="$OUT/work/schema-probe.db"
    rm -f "$tmp" "$tmp-wal" "$tmp-shm"
    "$DCRCTL" --db "$tmp" list >/dev/null
    sql "$tmp" 'PRAGMA user_version'
    rm -f "$tmp" "$tmp-wal" "$tmp-shm"
)"
SEED_SQL_SUM="$(sha256sum "$BENCH_DIR/seed.sql" | cut -c1-16)"

# One client id of each kind (see seed.sql: kind = n % 10), from the middle of the registry.
sample_ids() { # db n -> "web native service" ids
    local db="$1" n="$2" mid=$(( $2 / 2 ))
    local web native service
    web="$(sql "$1" "SELECT client_id FROM clients WHERE rowid = $(( mid - mid % 10 + 1 ))")"
    native="$(sql "$1" "SELECT client_id FROM clients WHERE rowid = $(( mid - mid % 10 + 7 ))")"
    service="$(sql "$1" "SELECT client_id FROM clients WHERE rowid = $(( mid - mid % 10 + 9 ))")"
    [[ -n "$web" && -n "$native" && -n "$service" ]] || die "$db: sample clients missing (n=$n)"
    echo "$web $native $service"
}

verify_seed() { # db n
    local db="$1" n="$2" count check ids id got
    count="$(sql "$db" 'SELECT count(*) FROM clients')"
    [[ "$count" == "$n" ]] || die "$db holds $count clients, expected $n"
    check="$(sql "$db" 'PRAGMA quick_check')"
    [[ "$check" == ok ]] || die "$db: quick_check: $check"
    [[ -z "$(sql "$db" 'PRAGMA foreign_key_check')" ]] || die "$db: foreign_key_check failed"
    [[ "$(sql "$db" 'PRAGMA journal_mode')" == wal ]] || die "$db: not in WAL mode"
    read -r -a ids <<<"$(sample_ids "$db" "$n")"
    for id in "${ids[@]}"; do
        "$DCRCTL" --db "$db" show "$id" >/dev/null || die "$db: dcrctl show $id failed"
        got="$("$DCRCTL" --db "$db" -o json show "$id" | jq -r .client_id)"
        [[ "$got" == "$id" ]] || die "$db: dcrctl -o json show $id returned '$got'"
    done
    got="$("$DCRCTL" --db "$db" -o json list --limit 5 | jq length)"
    [[ "$got" == 5 ]] || die "$db: dcrctl -o json list --limit 5 returned $got clients"
    "$DCRCTL" --db "$db" list --limit 3 >/dev/null || die "$db: dcrctl list failed"
    got="$("$DCRCTL" --db "$db" -o json show "${ids[0]}" | jq -r '.has_secret, .redirect_uris[0]' | tr '\n' ' ')"
    [[ "$got" == "true https://"* ]] || die "$db: unexpected web client: $got"
}

seed() { # n [random-ids] -> prints the path of a pristine seed with n clients
    local n="$1" variant="${2:+-$2}" random_ids=0
    [[ "${2:-}" == random-ids ]] && random_ids=1
    local db="$OUT/seed-$n$variant.db" stamp="$OUT/seed-$n$variant.stamp"
    local want="n=$n schema=$SCHEMA_VERSION seed_sql=$SEED_SQL_SUM random_ids=$random_ids"
    if [[ "$RESEED" != 1 && -f "$db" && -f "$stamp" && "$(cat "$stamp")" == "$want" \
          && ! -e "$db-wal" ]]; then
        log "reusing seed $db ($n clients)"
        echo "$db"
        return
    fi
    local tmp="$OUT/work/seeding-$n$variant.db"
    rm -f "$db" "$db-wal" "$db-shm" "$stamp" "$tmp" "$tmp-wal" "$tmp-shm"
    log "seeding $n clients into $db"
    local start end
    start="$(date +%s.%N)"
    "$DCRCTL" --db "$tmp" list >/dev/null    # the real schema, user_version, application_id
    {
        echo "PRAGMA temp_store = MEMORY;"
        echo "CREATE TEMP TABLE bench_params(n INTEGER, random_ids INTEGER);"
        echo "INSERT INTO temp.bench_params VALUES ($n, $random_ids);"
        echo ".read \"$BENCH_DIR/seed.sql\""
    } | sql "$tmp" >/dev/null
    end="$(date +%s.%N)"
    log "seeded in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s; verifying"
    verify_seed "$tmp" "$n"
    mv "$tmp" "$db"
    echo "$want" >"$stamp"
    echo "$db"
}

fresh_copy() { # seed dst
    rm -f "$2" "$2-wal" "$2-shm"
    cp "$1" "$2"
    chmod 600 "$2"
}

SMALL_SEED=""
LARGE_SEED=""
if wants register || wants verify; then SMALL_SEED="$(seed "$SMALL")"; fi
if wants show || wants list || wants seed; then LARGE_SEED="$(seed "$LARGE")"; fi
if wants seed-random-ids; then seed "$LARGE" random-ids >/dev/null; fi

# ---------------------------------------------------------------------------------------------
# 3. Benchmarks
# ---------------------------------------------------------------------------------------------

HF=("$HYPERFINE" --style basic)

median_of() { # json name -> seconds
    jq -r --arg n "$2" '.results[] | select(.command == $n) | .median' "$1"
}
ms() { awk -v s="$1" 'BEGIN{printf "%.2f", s * 1000}'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a <= b)}'; }

size() { # 100000 -> 100k, 1000000 -> 1M
    awk -v n="$1" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6;
                           else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3;
                           else printf "%d", n }'
}
S_SMALL="$(size "$SMALL")"
S_LARGE="$(size "$LARGE")"

declare -a SUMMARY=()
FAILED=0
record() { # label target measured pass(0/1/info)
    local verdict=PASS
    if [[ "$4" == info ]]; then verdict=info
    elif [[ "$4" != 1 ]]; then verdict=FAIL; FAILED=1; fi
    SUMMARY+=("$(printf '%-44s %-16s %-22s %s' "$1" "$2" "$3" "$verdict")")
}
declare -a INFO=()

# a. register vs a durable single-row sqlite3 INSERT ----------------------------------------
if wants register; then
    REG_DB="$OUT/work/register-dcrctl.db"
    INS_DB="$OUT/work/register-sqlite3.db"
    TXN_DB="$OUT/work/register-sqlite3-txn.db"
    for db in "$REG_DB" "$INS_DB" "$TXN_DB"; do fresh_copy "$SMALL_SEED" "$db"; done
    for db in "$INS_DB" "$TXN_DB"; do
        [[ "$(sql "$db" 'PRAGMA journal_mode=WAL')" == wal ]] || die "$db: cannot enter WAL mode"
    done
    [[ "$(sql -cmd 'PRAGMA synchronous=FULL' "$INS_DB" 'PRAGMA synchronous')" == 2 ]] \
        || die "sqlite3 -cmd 'PRAGMA synchronous=FULL' did not take effect"

    NOW="CAST(strftime('%s','now') AS INTEGER)"
    META="json_object('redirect_uris', json_array('https://app.example.com/cb'), 'token_endpoint_auth_method', 'client_secret_basic', 'grant_types', json_array('authorization_code'), 'response_types', json_array('code'), 'application_type', 'web', 'client_name', 'bench')"
    INSERT_CLIENT="INSERT INTO clients (client_id, client_name, metadata, token_endpoint_auth_method, client_id_issued_at, client_secret_expires_at, registration_token_hash, registered_via, updated_at) VALUES (lower(hex(randomblob(11))), 'bench', $META, 'client_secret_basic', $NOW, 0, 'sha256:' || lower(hex(randomblob(32))), 'cli', $NOW);"
    # The same rows dcrctl writes: client, audit event, secret — one IMMEDIATE transaction.
    INSERT_TXN="BEGIN IMMEDIATE; $INSERT_CLIENT INSERT INTO events (at, actor, action, client_id, details) VALUES ($NOW, 'cli:bench', 'register', (SELECT client_id FROM clients WHERE rowid = last_insert_rowid()), json_object('via', 'cli')); INSERT INTO client_secrets (client_id, secret_hash, expires_at, created_at) VALUES ((SELECT client_id FROM events WHERE event_id = last_insert_rowid()), 'sha256:' || lower(hex(randomblob(32))), 0, $NOW); COMMIT;"
    SQLITE_CMD="sqlite3 -init /dev/null -batch -bail -cmd 'PRAGMA synchronous=FULL'"

    # Sanity: each command works once and inserts.
    before="$(sql "$INS_DB" 'SELECT count(*) FROM clients')"
    sql -cmd 'PRAGMA synchronous=FULL' "$INS_DB" "$INSERT_CLIENT"
    sql -cmd 'PRAGMA synchronous=FULL' "$TXN_DB" "$INSERT_TXN"
    "$DCRCTL" --db "$REG_DB" register --client-name bench --redirect-uri https://app.example.com/cb >/dev/null 2>&1 \
        || die "dcrctl register failed on $REG_DB"
    (( $(sql "$INS_DB" 'SELECT count(*) FROM clients') == before + 1 )) || die "sqlite3 INSERT did not insert"
    (( $(sql "$TXN_DB" 'SELECT count(*) FROM client_secrets') > 0 )) || die "sqlite3 txn did not insert"

    log "a. register vs sqlite3 INSERT ($SMALL clients, WAL, synchronous=FULL)"
    "${HF[@]}" -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/register.json" \
        -n dcrctl-register \
        "$(q "$DCRCTL") --db $(q "$REG_DB") register --client-name bench --redirect-uri https://app.example.com/cb" \
        -n sqlite3-insert \
        "$SQLITE_CMD $(q "$INS_DB") \"$INSERT_CLIENT\"" \
        -n sqlite3-register-txn \
        "$SQLITE_CMD $(q "$TXN_DB") \"$INSERT_TXN\"" >&2
    reg="$(median_of "$OUT/register.json" dcrctl-register)"
    ins="$(median_of "$OUT/register.json" sqlite3-insert)"
    txn="$(median_of "$OUT/register.json" sqlite3-register-txn)"
    ratio="$(awk -v a="$reg" -v b="$ins" 'BEGIN{printf "%.2f", a / b}')"
    record "a. register / sqlite3 INSERT ($S_SMALL)" "ratio <= $TARGET_REGISTER_RATIO" \
        "${ratio}x ($(ms "$reg")/$(ms "$ins") ms)" "$(le "$ratio" "$TARGET_REGISTER_RATIO" && echo 1 || echo 0)"
    INFO+=("register median $(ms "$reg") ms; sqlite3 1-row INSERT $(ms "$ins") ms; sqlite3 same 3-row txn $(ms "$txn") ms (register/txn $(awk -v a="$reg" -v b="$txn" 'BEGIN{printf "%.2f", a / b}')x)")
fi

# b. show on the large registry ----------------------------------------------------------------
if wants show || wants list; then
    LARGE_DB="$OUT/work/large.db"
    fresh_copy "$LARGE_SEED" "$LARGE_DB"
fi
if wants show; then
    read -r -a ids <<<"$(sample_ids "$LARGE_DB" "$LARGE")"
    SHOW_ID="${ids[0]}"
    log "b. show $SHOW_ID ($LARGE clients)"
    "${HF[@]}" -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/show.json" \
        -n dcrctl-show "$(q "$DCRCTL") --db $(q "$LARGE_DB") show $SHOW_ID" \
        -n dcrctl-show-json "$(q "$DCRCTL") --db $(q "$LARGE_DB") -o json show $SHOW_ID" >&2
    show="$(median_of "$OUT/show.json" dcrctl-show)"
    showj="$(median_of "$OUT/show.json" dcrctl-show-json)"
    record "b. show ID ($S_LARGE)" "median <= ${TARGET_SHOW_MS} ms" "$(ms "$show") ms" \
        "$(le "$(ms "$show")" "$TARGET_SHOW_MS" && echo 1 || echo 0)"
    INFO+=("show -o json median $(ms "$showj") ms")
fi

# c. list of the large registry ----------------------------------------------------------------
if wants list; then
    log "c. -o json list > /dev/null ($LARGE clients)"
    LIST_CMDS=(-n dcrctl-json-list "$(q "$DCRCTL") --db $(q "$LARGE_DB") -o json list")
    if [[ "$LIST_TABLE" == 1 ]]; then
        LIST_CMDS+=(-n dcrctl-table-list "$(q "$DCRCTL") --db $(q "$LARGE_DB") list")
    fi
    "${HF[@]}" -N --output null --warmup "$LIST_WARMUP" --runs "$LIST_RUNS" \
        --export-json "$OUT/list.json" "${LIST_CMDS[@]}" >&2
    list="$(median_of "$OUT/list.json" dcrctl-json-list)"
    record "c. -o json list > /dev/null ($S_LARGE)" "median <= ${TARGET_LIST_S} s" \
        "$(awk -v s="$list" 'BEGIN{printf "%.2f s", s}')" "$(le "$list" "$TARGET_LIST_S" && echo 1 || echo 0)"
    if [[ "$LIST_TABLE" == 1 ]]; then
        INFO+=("table list median $(awk -v s="$(median_of "$OUT/list.json" dcrctl-table-list)" 'BEGIN{printf "%.2f s", s}')")
    fi

    log "c. peak RSS of -o json list ($RSS_RUNS runs, /usr/bin/time -f %M)"
    rss_all=()
    for (( i = 1; i <= RSS_RUNS; i++ )); do
        /usr/bin/time -f %M -o "$OUT/work/list-rss.txt" \
            "$DCRCTL" --db "$LARGE_DB" -o json list >/dev/null
        rss_all+=("$(tail -n 1 "$OUT/work/list-rss.txt")")
    done
    rss_max_kb="$(printf '%s\n' "${rss_all[@]}" | sort -n | tail -n 1)"
    rss_mb="$(awk -v k="$rss_max_kb" 'BEGIN{printf "%.1f", k / 1024}')"
    record "c. -o json list ($S_LARGE) peak RSS" "max <= ${TARGET_LIST_RSS_MB} MB" "$rss_mb MB" \
        "$(le "$rss_mb" "$TARGET_LIST_RSS_MB" && echo 1 || echo 0)"
    INFO+=("list peak RSS per run (KB): ${rss_all[*]}")
    count="$("$DCRCTL" --db "$LARGE_DB" -o json list --limit 3 | jq length)"
    [[ "$count" == 3 ]] || die "list output is not a JSON array"
fi

# d. verify-secret -----------------------------------------------------------------------------
if wants verify; then
    VER_DB="$OUT/work/verify.db"
    fresh_copy "$SMALL_SEED" "$VER_DB"
    reg_json="$("$DCRCTL" --db "$VER_DB" -o json register --client-name verify-bench \
        --redirect-uri https://app.example.com/cb 2>/dev/null)"
    VER_ID="$(jq -r .client_id <<<"$reg_json")"
    SECRET_FILE="$OUT/work/secret.txt"
    (umask 077 && jq -r .client_secret <<<"$reg_json" >"$SECRET_FILE")
    WRONG_FILE="$OUT/work/wrong-secret.txt"
    (umask 077 && echo "dcrsec_not-the-secret" >"$WRONG_FILE")
    [[ -n "$VER_ID" && "$VER_ID" != null ]] || die "register -o json gave no client_id"
    "$DCRCTL" --db "$VER_DB" verify-secret "$VER_ID" <"$SECRET_FILE" >/dev/null 2>&1 \
        || die "verify-secret rejected the secret register just printed"
    rc=0; "$DCRCTL" --db "$VER_DB" verify-secret "$VER_ID" <"$WRONG_FILE" 2>/dev/null || rc=$?
    [[ "$rc" == 6 ]] || die "verify-secret with a wrong secret exited $rc, expected 6"

    log "d. verify-secret $VER_ID ($SMALL clients, secret on stdin)"
    RESET_LAST_USED="sqlite3 -init /dev/null -batch $(q "$VER_DB") \"UPDATE clients SET last_used_at = NULL WHERE client_id = '$VER_ID'\""
    if [[ "$HF_HAS_INPUT" == 1 ]]; then
        "${HF[@]}" -N --input "$SECRET_FILE" --warmup "$WARMUP" --runs "$RUNS" \
            --export-json "$OUT/verify.json" \
            --prepare true \
            -n dcrctl-verify-secret "$(q "$DCRCTL") --db $(q "$VER_DB") verify-secret $VER_ID" \
            --prepare "$RESET_LAST_USED" \
            -n dcrctl-verify-secret-writing "$(q "$DCRCTL") --db $(q "$VER_DB") verify-secret $VER_ID" >&2
        verw="$(median_of "$OUT/verify.json" dcrctl-verify-secret-writing)"
    else
        # hyperfine < 1.16: a shell does the redirect; hyperfine subtracts the shell's own
        # start-up time, which it measures before the benchmark.
        "${HF[@]}" --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/verify.json" \
            -n dcrctl-verify-secret \
            "$(q "$DCRCTL") --db $(q "$VER_DB") verify-secret $VER_ID < $(q "$SECRET_FILE")" >&2
        INFO+=("verify-secret measured through sh -c ($("$HYPERFINE" --version) has no --input; shell start-up subtracted)")
    fi
    ver="$(median_of "$OUT/verify.json" dcrctl-verify-secret)"
    record "d. verify-secret ID < secret ($S_SMALL)" "median <= ${TARGET_VERIFY_MS} ms" "$(ms "$ver") ms" \
        "$(le "$(ms "$ver")" "$TARGET_VERIFY_MS" && echo 1 || echo 0)"
    if [[ -n "${verw:-}" ]]; then
        record "d'. same, last_used_at must change (info)" "(<= ${TARGET_VERIFY_MS} ms)" "$(ms "$verw") ms" info
    fi
fi

# ---------------------------------------------------------------------------------------------
# 4. Diagnostics: what one process does at the syscall level
# ---------------------------------------------------------------------------------------------

declare -a DIAGS=()
syscalls() { # label cmd... (stdin from $DIAG_STDIN)
    local label="$1"; shift
    local f="$OUT/work/strace.txt"
    strace -f -c -o "$f" "$@" <"${DIAG_STDIN:-/dev/null}" >/dev/null 2>&1 || true
    local counts
    counts="$(awk '$NF ~ /^(fsync|fdatasync|pread64|pwrite64|read|write|openat|unlink)$/ {
                   printf "%s=%s ", $NF, $4 }' "$f")"
    DIAGS+=("$(printf '%-26s %s' "$label" "${counts:-<none>}")")
}
if [[ "$DIAG" == 1 ]] && command -v strace >/dev/null 2>&1; then
    log "diagnostics (strace -f -c)"
    if wants register; then
        syscalls "dcrctl register" "$DCRCTL" --db "$REG_DB" register --client-name bench \
            --redirect-uri https://app.example.com/cb
        syscalls "sqlite3 INSERT" sqlite3 -init /dev/null -batch -cmd 'PRAGMA synchronous=FULL' \
            "$INS_DB" "$INSERT_CLIENT"
    fi
    if wants show; then syscalls "dcrctl show" "$DCRCTL" --db "$LARGE_DB" show "$SHOW_ID"; fi
    if wants verify; then
        sql "$VER_DB" "UPDATE clients SET last_used_at = NULL WHERE client_id = '$VER_ID'"
        DIAG_STDIN="$SECRET_FILE" syscalls "dcrctl verify-secret (writes)" "$DCRCTL" --db "$VER_DB" verify-secret "$VER_ID"
        DIAG_STDIN="$SECRET_FILE" syscalls "dcrctl verify-secret (again)" "$DCRCTL" --db "$VER_DB" verify-secret "$VER_ID"
    fi
    if wants list; then syscalls "dcrctl -o json list ($S_LARGE)" "$DCRCTL" --db "$LARGE_DB" -o json list; fi
fi

# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------

{
    echo
    echo "================================ dcrctl CLI benchmark summary ================================"
    echo "binary:    $DCRCTL ($(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo '?'), schema v$SCHEMA_VERSION)"
    echo "tools:     $("$HYPERFINE" --version) ($HYPERFINE), sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(nproc) CPUs"
    echo "work dir:  $OUT ($(df -hT "$OUT" | awk 'NR==2 {print $2 " on " $1}'))"
    echo "runs:      cheap=$RUNS (warmup $WARMUP), list=$LIST_RUNS (warmup $LIST_WARMUP), rss=$RSS_RUNS"
    echo
    printf '%-44s %-16s %-22s %s\n' "benchmark" "target" "measured (median)" "result"
    printf '%s\n' "${SUMMARY[@]}"
    if (( ${#INFO[@]} )); then
        echo
        echo "notes:"
        printf '  %s\n' "${INFO[@]}"
    fi
    if (( ${#DIAGS[@]} )); then
        echo
        echo "syscalls per process (strace -f -c):"
        printf '  %s\n' "${DIAGS[@]}"
    fi
    echo
    echo "hyperfine exports: $OUT/{register,show,list,verify}.json"
    if (( FAILED )); then echo "RESULT: FAIL"; else echo "RESULT: PASS"; fi
}

exit "$FAILED"
