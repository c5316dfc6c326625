#!/usr/bin/env bash
# bench/serve.sh — HTTP load benchmark of `dcrctl serve` against node-oidc-provider.
#
# Run from anywhere (it finds the repository from its own path):
#
#     bench/serve.sh
#
# What it does:
#   1. installs what is missing (wrk, jq, curl via apt-get; needs root or sudo), checks for
#      Node.js (20.19+; oidc-provider 9 prefers 22 and says so on startup), builds
#      `cargo build --release` (BENCH_BUILD=0 skips it) and installs the pinned
#      bench/serve/package-lock.json (npm `oidc-provider`) with `npm ci` into
#      $BENCH_OUT/node-oidc (reused while the lock file is unchanged);
#   2. for each of BENCH_REPS repetitions, for each server (the order alternates between
#      repetitions, so drift of a shared machine does not favour one side), starts a fresh
#      server on 127.0.0.1 only:
#        - dcrctl: `dcrctl --db FRESH.db serve --listen 127.0.0.1:PORT --issuer
#          http://127.0.0.1:PORT` with an initial access token of unlimited uses made by
#          `dcrctl token create`; default logging (DCRCTL_LOG unset = info, one line per
#          request to stderr, kept in a file and used to count statuses and errors;
#          BENCH_DCRCTL_LOG sets DCRCTL_LOG);
#        - node-oidc-provider (bench/serve/oidc-provider.mjs): in-memory adapter, registration
#          at /reg with a static initialAccessToken, RFC 7592 management enabled;
#      and runs with wrk (BENCH_THREADS threads, BENCH_CONNS connections, bench/serve/wrk.lua):
#        a. `POST /register` (node: /reg) with the initial access token and a JSON body, for
#           BENCH_DURATION seconds after BENCH_WARMUP seconds of unmeasured warm-up;
#        b. `GET {registration_client_uri}` with its registration access token (one client
#           registered just before), same durations;
#      then reads the server's peak RSS (VmHWM in /proc/PID/status) and stops it;
#   3. prints per-run lines and a summary of medians with the dcrctl/node ratios and PASS/FAIL
#      against the targets (POST >= 8,000 req/s with p99 <= 50 ms; GET >= 20,000 req/s with
#      p99 <= 20 ms; peak RSS <= 40 MB; no errors).
#
# wrk, the server under test and everything else share the machine's cores, so the numbers
# are those of a loaded 2-core box, not of a server with the machine to itself.
#
# Environment: BENCH_OUT (default bench/out), BENCH_REPS (3), BENCH_DURATION (10 s),
# BENCH_WARMUP (2 s), BENCH_CONNS (64), BENCH_THREADS (2), BENCH_BUILD (1),
# BENCH_KEEP_LOGS (0: request logs are deleted once counted), BENCH_DCRCTL_LOG.
#
# Exit status: 0 when every target passes, 1 when one fails, 2 on a setup error.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_OUT=${BENCH_OUT:-$REPO/bench/out}
REPS=${BENCH_REPS:-3}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNS:-64}
THREADS=${BENCH_THREADS:-2}
BUILD=${BENCH_BUILD:-1}
KEEP_LOGS=${BENCH_KEEP_LOGS:-0}
WORK=$BENCH_OUT/serve-work
NODE_DIR=$BENCH_OUT/node-oidc
BIN=$REPO/target/release/dcrctl
LUA=$REPO/bench/serve/wrk.lua
NODE_IAT=bench-initial-access-token-$$
BODY='{"client_name":"bench client","redirect_uris":["https://client.example.com/cb"],"grant_types":["authorization_code"],"response_types":["code"],"token_endpoint_auth_method":"client_secret_basic"}'

for n in "$REPS" "$DURATION" "$WARMUP" "$CONNS" "$THREADS"; do
    [[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 1000 ]] || { echo "bench: bad setting $n" >&2; exit 2; }
done
((REPS <= 20 && DURATION <= 120 && WARMUP <= 30)) || { echo "bench: settings out of bounds" >&2; exit 2; }

log() { printf '[serve-bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

# Every process started here is recorded and stopped by PID on exit.
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- setup
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    as_root apt-get install -y "${missing[@]}" >/dev/null || die "cannot install ${missing[*]}"
fi
command -v node >/dev/null && command -v npm >/dev/null || die "Node.js and npm are required"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "Node.js >= 20.19 is required (found $(node --version))"

mkdir -p "$BENCH_OUT" "$WORK" "$NODE_DIR"
if [[ $BUILD == 1 ]]; then
    log "cargo build --release"
    (cd "$REPO" && cargo build --release --quiet) || die "cargo build --release failed"
fi
[[ -x $BIN ]] || die "$BIN is missing (BENCH_BUILD=0 needs a release build)"

if ! cmp -s "$REPO/bench/serve/package-lock.json" "$NODE_DIR/package-lock.json" \
    || [[ ! -d $NODE_DIR/node_modules/oidc-provider ]]; then
    log "npm ci (oidc-provider, pinned) into $NODE_DIR"
    cp "$REPO/bench/serve/package.json" "$REPO/bench/serve/package-lock.json" "$NODE_DIR/"
    (cd "$NODE_DIR" && timeout 300 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) \
        || die "npm ci failed"
fi
cp "$REPO/bench/serve/oidc-provider.mjs" "$NODE_DIR/"
OIDC_VERSION=$(node -p 'require(process.argv[1]).version' "$NODE_DIR/node_modules/oidc-provider/package.json")

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_listening PID LOGFILE: until the server prints `listening on` (10 s at most).
wait_listening() {
    local pid=$1 file=$2
    for _ in $(seq 100); do
        grep -q '^listening on ' "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; die "server exited during startup"; }
        sleep 0.1
    done
    cat "$file" >&2
    die "server did not start within 10 s"
}

# ---------------------------------------------------------------- servers
SERVER_PID='' REG_URL='' IAT='' LOGFILE=''

start_dcrctl() {
    local rep=$1 port db
    db=$WORK/dcrctl-rep$rep.db
    rm -f "$db" "$db-wal" "$db-shm"
    IAT=$("$BIN" --db "$db" -o json token create --note "serve benchmark" | jq -er .token) \
        || die "dcrctl token create failed"
    port=$(free_port)
    LOGFILE=$WORK/dcrctl-rep$rep.log
    if [[ -n ${BENCH_DCRCTL_LOG:-} ]]; then
        DCRCTL_LOG=$BENCH_DCRCTL_LOG "$BIN" --db "$db" serve --listen "127.0.0.1:$port" \
            --issuer "http://127.0.0.1:$port" 2>"$LOGFILE" &
    else
        env -u DCRCTL_LOG "$BIN" --db "$db" serve --listen "127.0.0.1:$port" \
            --issuer "http://127.0.0.1:$port" 2>"$LOGFILE" &
    fi
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_listening "$SERVER_PID" "$LOGFILE"
    REG_URL=http://127.0.0.1:$port/register
}

start_node() {
    local rep=$1 port
    port=$(free_port)
    LOGFILE=$WORK/node-rep$rep.log
    IAT=$NODE_IAT
    (cd "$NODE_DIR" && exec env NODE_ENV=production node oidc-provider.mjs "$port" "$IAT") 2>"$LOGFILE" &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_listening "$SERVER_PID" "$LOGFILE"
    REG_URL=http://127.0.0.1:$port/reg
}

# register_one: one registration with curl; sets CLIENT_URI and CLIENT_RAT.
CLIENT_URI='' CLIENT_RAT=''
register_one() {
    local out code
    out=$(curl -sS --max-time 10 -w '\n%{http_code}' -X POST -H "Authorization: Bearer $IAT" \
        -H 'Content-Type: application/json' --data "$BODY" "$REG_URL") || die "registration failed"
    code=${out##*$'\n'}
    [[ $code == 201 ]] || die "registration answered $code: ${out%$'\n'*}"
    CLIENT_URI=$(jq -er .registration_client_uri <<<"${out%$'\n'*}")
    CLIENT_RAT=$(jq -er .registration_access_token <<<"${out%$'\n'*}")
    code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $CLIENT_RAT" "$CLIENT_URI")
    [[ $code == 200 ]] || die "GET $CLIENT_URI answered $code"
}

# run_wrk METHOD TOKEN URL SECONDS: prints wrk's `BENCH ...` line (wrk.lua's done()).
run_wrk() {
    local method=$1 token=$2 url=$3 seconds=$4 out
    out=$(BENCH_METHOD=$method BENCH_TOKEN=$token BENCH_BODY=$BODY \
        timeout $((seconds + 60)) wrk -t "$THREADS" -c "$CONNS" -d "${seconds}s" --timeout 5s \
        --latency -s "$LUA" "$url" 2>&1) || { printf '%s\n' "$out" >&2; die "wrk failed"; }
    grep '^BENCH ' <<<"$out" || { printf '%s\n' "$out" >&2; die "wrk printed no summary"; }
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

RESULTS=$WORK/results.txt
: >"$RESULTS"
ERRLOG=$WORK/errors.txt
: >"$ERRLOG"

bench_server() {
    local name=$1 rep=$2 post get hwm rss
    "start_$name" "$rep"
    log "rep $rep/$REPS: $name on ${REG_URL%/*} (pid $SERVER_PID)"
    register_one
    run_wrk POST "$IAT" "$REG_URL" "$WARMUP" >/dev/null
    post=$(run_wrk POST "$IAT" "$REG_URL" "$DURATION")
    register_one
    run_wrk GET "$CLIENT_RAT" "$CLIENT_URI" "$WARMUP" >/dev/null
    get=$(run_wrk GET "$CLIENT_RAT" "$CLIENT_URI" "$DURATION")
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
    stop_pid "$SERVER_PID"
    printf '%s rep=%s load=post %s\n' "$name" "$rep" "${post#BENCH }" >>"$RESULTS"
    printf '%s rep=%s load=get %s\n' "$name" "$rep" "${get#BENCH }" >>"$RESULTS"
    printf '%s rep=%s load=rss hwm_kb=%s rss_kb=%s\n' "$name" "$rep" "$hwm" "$rss" >>"$RESULTS"
    if [[ $name == dcrctl ]]; then
        # Status counts and server-side errors from the request log (warm-ups included).
        {
            printf 'dcrctl rep %s statuses in the request log (warm-ups included; none at DCRCTL_LOG=warn):' "$rep"
            { grep -o 'status=[0-9]*' "$LOGFILE" || true; } | sort | uniq -c | awk '{printf " %s×%s", $2, $1}'
            printf '\n'
            printf 'dcrctl rep %s log lines: ERROR %s, WARN %s, "database is locked" %s\n' "$rep" \
                "$(grep -c ' ERROR ' "$LOGFILE" || true)" "$(grep -c ' WARN ' "$LOGFILE" || true)" \
                "$(grep -c 'database is locked' "$LOGFILE" || true)"
            { grep -E ' (ERROR|WARN) ' "$LOGFILE" || true; } | sed -E 's/^[^ ]+ +//' | sort | uniq -c \
                | sort -rn | head -5 | sed 's/^/    /'
        } >>"$ERRLOG"
    else
        printf 'node rep %s stderr lines besides startup warnings: %s\n' "$rep" \
            "$(grep -vc -e '^oidc-provider WARNING' -e '^listening on' "$LOGFILE" || true)" >>"$ERRLOG"
    fi
    [[ $KEEP_LOGS == 1 ]] || rm -f "$LOGFILE"
}

started=$(date +%s)
log "wrk -t$THREADS -c$CONNS, ${DURATION}s measured after ${WARMUP}s warm-up, $REPS repetitions"
for rep in $(seq "$REPS"); do
    if ((rep % 2)); then order=(dcrctl node); else order=(node dcrctl); fi
    for name in "${order[@]}"; do bench_server "$name" "$rep"; done
done
elapsed=$(($(date +%s) - started))

# ---------------------------------------------------------------- summary
# values NAME LOAD KEY: that field of every repetition, one a line.
values() { awk -v n="$1" -v l="load=$2" -v k="$3" '$1 == n && $3 == l {
    for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$RESULTS"; }
median() { sort -g | awk '{v[NR] = $1} END { if (NR == 0) print "nan";
    else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { values "$@" | median; }
sum() { values "$@" | awk '{s += $1} END {print s + 0}'; }
max() { values "$@" | sort -g | tail -1; }
errs() { # non-2xx/3xx + socket errors over all repetitions
    local s=0 k
    for k in err_connect err_read err_write err_status err_timeout; do s=$((s + $(sum "$1" "$2" "$k"))); done
    echo "$s"
}
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
verdict() { if awk "BEGIN {exit !($1)}"; then echo PASS; else echo FAIL; fi; }

echo
echo "== per run (latencies in µs; err_status = non-2xx/3xx responses) =="
cat "$RESULTS"
echo
echo "== errors seen by the servers =="
cat "$ERRLOG"
echo
echo "== summary: medians of $REPS repetitions; wrk -t$THREADS -c$CONNS -d${DURATION}s, 127.0.0.1 =="
echo "   dcrctl $("$BIN" --version | awk '{print $2}') (release) vs node-oidc-provider $OIDC_VERSION" \
    "(node $(node --version), in-memory adapter); $(nproc) cores shared with wrk; ${elapsed}s"
d_prps=$(med dcrctl post rps) n_prps=$(med node post rps)
d_pp50=$(med dcrctl post p50_us) n_pp50=$(med node post p50_us)
d_pp99=$(med dcrctl post p99_us) n_pp99=$(med node post p99_us)
d_grps=$(med dcrctl get rps) n_grps=$(med node get rps)
d_gp50=$(med dcrctl get p50_us) n_gp50=$(med node get p50_us)
d_gp99=$(med dcrctl get p99_us) n_gp99=$(med node get p99_us)
d_hwm=$(med dcrctl rss hwm_kb) n_hwm=$(med node rss hwm_kb)
d_perr=$(errs dcrctl post) n_perr=$(errs node post)
d_gerr=$(errs dcrctl get) n_gerr=$(errs node get)
SUMMARY=$WORK/summary.txt
{
printf '%-30s %14s %14s %10s   %-22s %s\n' "" dcrctl node dcrctl/node target verdict
printf '%-30s %14.0f %14.0f %10s   %-22s %s\n' "POST /register req/s" "$d_prps" "$n_prps" \
    "$(ratio "$d_prps" "$n_prps")" ">= 8000" "$(verdict "$d_prps >= 8000")"
printf '%-30s %14s %14s %10s\n' "POST /register p50 ms" "$(ms "$d_pp50")" "$(ms "$n_pp50")" \
    "$(ratio "$d_pp50" "$n_pp50")"
printf '%-30s %14s %14s %10s   %-22s %s\n' "POST /register p99 ms" "$(ms "$d_pp99")" "$(ms "$n_pp99")" \
    "$(ratio "$d_pp99" "$n_pp99")" "<= 50" "$(verdict "$d_pp99 <= 50000")"
printf '%-30s %14s %14s %10s   %-22s %s\n' "POST errors (sum of runs)" "$d_perr" "$n_perr" "" "0" \
    "$(verdict "$d_perr == 0")"
printf '%-30s %14.0f %14.0f %10s   %-22s %s\n' "GET /register/{id} req/s" "$d_grps" "$n_grps" \
    "$(ratio "$d_grps" "$n_grps")" ">= 20000" "$(verdict "$d_grps >= 20000")"
printf '%-30s %14s %14s %10s\n' "GET /register/{id} p50 ms" "$(ms "$d_gp50")" "$(ms "$n_gp50")" \
    "$(ratio "$d_gp50" "$n_gp50")"
printf '%-30s %14s %14s %10s   %-22s %s\n' "GET /register/{id} p99 ms" "$(ms "$d_gp99")" "$(ms "$n_gp99")" \
    "$(ratio "$d_gp99" "$n_gp99")" "<= 20" "$(verdict "$d_gp99 <= 20000")"
printf '%-30s %14s %14s %10s   %-22s %s\n' "GET errors (sum of runs)" "$d_gerr" "$n_gerr" "" "0" \
    "$(verdict "$d_gerr == 0")"
printf '%-30s %14s %14s %10s   %-22s %s\n' "peak RSS MB (VmHWM)" "$(mb "$d_hwm")" "$(mb "$n_hwm")" \
    "$(ratio "$d_hwm" "$n_hwm")" "<= 40" "$(verdict "$d_hwm <= 40960")"
printf '%-30s %14s %14s\n' "peak RSS MB, max of runs" "$(mb "$(max dcrctl rss hwm_kb)")" \
    "$(mb "$(max node rss hwm_kb)")"
} >"$SUMMARY"
cat "$SUMMARY"
if grep -q 'FAIL$' "$SUMMARY"; then exit 1; fi
