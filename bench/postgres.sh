#!/usr/bin/env bash
# bench/postgres.sh — `dcrctl serve` and the CLI on PostgreSQL beside SQLite, in one run.
#
#     bench/postgres.sh            # BENCH_REPS=3 BENCH_DURATION=10 BENCH_CONNS=64 by default
#
# For each repetition, for each backend (the order alternates), a fresh registry (a SQLite
# file, or a fresh schema on the PostgreSQL that DCRCTL_TEST_POSTGRES names — started with
# scripts/postgres.sh when unset) and a fresh `dcrctl serve` on 127.0.0.1:
#   a. wrk POST /register with an unlimited initial access token (durable commits:
#      synchronous=FULL on SQLite, synchronous_commit=on on PostgreSQL);
#   b. wrk GET /register/{id} with that client's registration access token;
#   c. on PostgreSQL only, two `serve` processes on one schema, one wrk each at once (POST):
#      the sum of their rates.
# Each load runs BENCH_WARMUP s unmeasured, then BENCH_DURATION s. Server CPU per request is
# the serve process's utime+stime over the measured run divided by its requests (for (c),
# both processes); PostgreSQL's own CPU is reported beside it (every postgres process).
# Then hyperfine times `dcrctl register` as a whole process on each backend.
# BENCH_BASELINE_BIN=path/to/an/older/dcrctl adds "baseline" runs of that binary on SQLite
# in the same repetitions: SQLite's figures before and after a change, side by side.
# Prints per-run lines and medians with the targets of issue 13.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$REPO/bench/out}/postgres
REPS=${BENCH_REPS:-3}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
BIN=$REPO/target/release/dcrctl
LUA=$REPO/bench/serve/wrk.lua
BODY='{"client_name":"bench client","redirect_uris":["https://client.example.com/cb"],"grant_types":["authorization_code"],"response_types":["code"],"token_endpoint_auth_method":"client_secret_basic"}'
TICKS=$(getconf CLK_TCK)

log() { printf '[pg-bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

PIDS=()
STARTED_PG=0
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    if [[ $STARTED_PG == 1 ]]; then "$REPO/scripts/postgres.sh" stop; fi
}
trap cleanup EXIT

missing=()
for tool in wrk jq curl hyperfine psql; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
    tools=("${missing[@]/psql/postgresql-client}")
    log "installing ${tools[*]}"
    apt-get install -y "${tools[@]}" >/dev/null || die "cannot install ${tools[*]}"
fi
if [[ -z ${DCRCTL_TEST_POSTGRES:-} ]]; then
    eval "$("$REPO/scripts/postgres.sh" start)"
    STARTED_PG=1
fi
(cd "$REPO" && cargo build --release --quiet) || die "cargo build --release failed"
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: >"$RESULTS"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_ticks() { local t=0 pid; for pid in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
pg_pids() { pgrep -u postgres -x postgres || pgrep -x postgres || true; }

# A fresh registry location for BACKEND.
fresh_location() {
    local backend=$1 name=$2
    if [[ $backend == sqlite ]]; then
        rm -f "$OUT/$name.db" "$OUT/$name.db-wal" "$OUT/$name.db-shm"
        echo "$OUT/$name.db"
    else
        psql "$DCRCTL_TEST_POSTGRES" -qc "DROP SCHEMA IF EXISTS $name CASCADE; CREATE SCHEMA $name" >/dev/null
        local sep='?'; [[ $DCRCTL_TEST_POSTGRES == *\?* ]] && sep='&'
        echo "${DCRCTL_TEST_POSTGRES}${sep}options=-csearch_path%3D$name"
    fi
}

# start_serve LOCATION [BINARY]: sets SERVE_PID and BASE.
start_serve() {
    local port
    port=$(free_port)
    DCRCTL_LOG=warn "${2:-$BIN}" --db "$1" serve --listen "127.0.0.1:$port" --issuer "http://127.0.0.1:$port" \
        2>>"$OUT/serve.log" &
    SERVE_PID=$!
    PIDS+=("$SERVE_PID")
    BASE=http://127.0.0.1:$port
    for _ in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && return 0; sleep 0.1; done
    die "serve did not start"
}

wrk_run() { # METHOD TOKEN URL SECONDS
    BENCH_METHOD=$1 BENCH_TOKEN=$2 BENCH_BODY=$BODY timeout $(($4 + 60)) \
        wrk -t "$THREADS" -c "$CONNS" -d "${4}s" --timeout 5s --latency -s "$LUA" "$3" | grep '^BENCH '
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

# measure NAME REP METHOD TOKEN URL PIDS...: one measured run, one result line.
measure() {
    local name=$1 rep=$2 method=$3 token=$4 url=$5; shift 5
    wrk_run "$method" "$token" "$url" "$WARMUP" >/dev/null
    local before pg_before line after pg_after requests
    before=$(cpu_ticks "$@"); pg_before=$(cpu_ticks $(pg_pids))
    line=$(wrk_run "$method" "$token" "$url" "$DURATION")
    after=$(cpu_ticks "$@"); pg_after=$(cpu_ticks $(pg_pids))
    requests=$(field requests "$line")
    printf '%s rep=%s %s cpu_us=%s pg_cpu_us=%s\n' "$name" "$rep" "${line#BENCH }" \
        "$(awk -v t=$((after - before)) -v n="$requests" -v k="$TICKS" 'BEGIN {printf "%.1f", t * 1e6 / k / n}')" \
        "$(awk -v t=$((pg_after - pg_before)) -v n="$requests" -v k="$TICKS" 'BEGIN {printf "%.1f", t * 1e6 / k / n}')" \
        >>"$RESULTS"
}

bench_backend() {
    local backend=$1 rep=$2 location iat client bin=$BIN
    if [[ $backend == baseline ]]; then bin=$BENCH_BASELINE_BIN; fi
    location=$(fresh_location "${backend/baseline/sqlite}" "bench_${backend}_$rep")
    iat=$("$bin" --db "$location" -o json token create | jq -er .token)
    start_serve "$location" "$bin"
    log "rep $rep: $backend"
    measure "$backend-post" "$rep" POST "$iat" "$BASE/register" "$SERVE_PID"
    client=$(curl -sf -X POST -H "Authorization: Bearer $iat" -H 'Content-Type: application/json' \
        --data "$BODY" "$BASE/register")
    measure "$backend-get" "$rep" GET "$(jq -r .registration_access_token <<<"$client")" \
        "$(jq -r .registration_client_uri <<<"$client")" "$SERVE_PID"
    kill -TERM "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
    if [[ $backend == postgres ]]; then
        start_serve "$location"; local first=$SERVE_PID first_base=$BASE
        start_serve "$location"; local second=$SERVE_PID
        # Both nodes at once: the second wrk in the background, each measured alone.
        measure "postgres-2nodes-a" "$rep" POST "$iat" "$first_base/register" "$first" &
        local other=$!
        measure "postgres-2nodes-b" "$rep" POST "$iat" "$BASE/register" "$second"
        wait "$other"
        kill -TERM "$first" "$second"; wait "$first" "$second" 2>/dev/null || true
    fi
}

for rep in $(seq "$REPS"); do
    order=(sqlite postgres)
    if [[ -n ${BENCH_BASELINE_BIN:-} ]]; then order=(baseline sqlite postgres); fi
    if ((rep % 2 == 0)); then order=($(printf '%s\n' "${order[@]}" | tac)); fi
    for backend in "${order[@]}"; do bench_backend "$backend" "$rep"; done
done

log "hyperfine: dcrctl register as a whole process"
sqlite_db=$(fresh_location sqlite cli)
pg_db=$(fresh_location postgres bench_cli)
"$BIN" --db "$sqlite_db" token list >/dev/null
"$BIN" --db "$pg_db" token list >/dev/null
hyperfine -N --warmup 5 --runs 60 --export-json "$OUT/cli.json" \
    -n sqlite "$BIN --db $sqlite_db -o json register --redirect-uri https://c.example/cb" \
    -n postgres "$BIN --db $pg_db -o json register --redirect-uri https://c.example/cb" >/dev/null

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
med() { awk -v n="$1" '$1 == n' "$RESULTS" | sed -n "s/.* $2=\([^ ]*\).*/\1/p" | median; }
sum2() { awk -v a="$(med postgres-2nodes-a rps)" -v b="$(med postgres-2nodes-b rps)" 'BEGIN {printf "%.0f", a + b}'; }
cli() { jq -r ".results[] | select(.command == \"$1\") | .median * 1000" "$OUT/cli.json"; }

echo "== per run =="
cat "$RESULTS"
echo
echo "== medians of $REPS repetitions: wrk -t$THREADS -c$CONNS -d${DURATION}s on 127.0.0.1, $(nproc) cores shared =="
printf '%-34s %10s %8s %8s %10s %10s   %s\n' load req/s p50_ms p99_ms cpu_us/req pg_us/req target
for name in baseline-post sqlite-post postgres-post baseline-get sqlite-get postgres-get postgres-2nodes-a postgres-2nodes-b; do
    grep -q "^$name " "$RESULTS" || continue
    printf '%-34s %10.0f %8.2f %8.2f %10s %10s   %s\n' "$name" "$(med "$name" rps)" \
        "$(awk -v u="$(med "$name" p50_us)" 'BEGIN {print u / 1000}')" \
        "$(awk -v u="$(med "$name" p99_us)" 'BEGIN {print u / 1000}')" \
        "$(med "$name" cpu_us)" "$(med "$name" pg_cpu_us)" \
        "$(case $name in postgres-post) echo '>= 4000/s, p99 <= 50 ms' ;; postgres-get) echo '>= 12000/s, p99 <= 20 ms' ;; esac)"
done
printf '%-34s %10s\n' "postgres, two serve processes (sum)" "$(sum2)"
printf '%-34s %10.2f ms (sqlite %.2f ms)   target <= 15 ms\n' "CLI register median, postgres" "$(cli postgres)" "$(cli sqlite)"
