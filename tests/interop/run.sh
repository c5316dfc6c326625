#!/usr/bin/env bash
# Interoperability check: `dcrctl serve` against panva's oauth4webapi (see interop.mjs).
#
#   tests/interop/run.sh [path/to/dcrctl]     (default: target/debug/dcrctl; builds nothing)
#
# Creates a throwaway database, mints an initial access token, starts the server on a free
# loopback port whose URL is also its --issuer, installs the pinned npm packages when they are
# missing, runs interop.mjs, and always stops the server. Every wait is bounded.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
DCRCTL="${1:-target/debug/dcrctl}"
WAIT_SECONDS=20

if [ ! -x "$DCRCTL" ]; then
  echo "interop: no dcrctl binary at $DCRCTL (build it first: cargo build)" >&2
  exit 2
fi
DCRCTL="$(cd "$(dirname "$DCRCTL")" && pwd)/$(basename "$DCRCTL")"
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "interop: $tool is not installed" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dcrctl-interop.XXXXXX")"
SERVER_PID=""

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 $((WAIT_SECONDS * 10))); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "interop: server ignored SIGTERM for ${WAIT_SECONDS}s; killing it" >&2
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  local status=$?
  stop_server
  if [ "$status" -ne 0 ] && [ -s "$WORK/server.log" ]; then
    echo "--- dcrctl serve log ---" >&2
    cat "$WORK/server.log" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export DCRCTL_DB="$WORK/dcrctl.db"
export NO_COLOR=1

# The pinned library (package-lock.json), installed once into tests/interop/node_modules.
locked="$(node -e 'process.stdout.write(require(process.argv[1]).packages["node_modules/oauth4webapi"].version)' "$HERE/package-lock.json")"
installed="$(node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch {}' "$HERE/node_modules/oauth4webapi/package.json")"
if [ "$installed" != "$locked" ]; then
  echo "interop: installing oauth4webapi $locked (npm ci)"
  (cd "$HERE" && npm ci --no-audit --no-fund)
fi

# An initial access token for the registration.
IAT="$("$DCRCTL" --db "$DCRCTL_DB" -o json token create --note interop 2>"$WORK/token.err" |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => process.stdout.write(JSON.parse(s).token))')"
[ -n "$IAT" ] || { echo "interop: token create printed no token" >&2; cat "$WORK/token.err" >&2; exit 1; }

# The issuer must be the URL clients use, so the port is chosen before the server starts: a
# free port from the kernel, then `serve` on it. Another process could take the port in between,
# so a server that exits before listening is retried on a new port.
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); })'
}
start_server() {
  local port="$1"
  : >"$WORK/server.log"
  "$DCRCTL" --db "$DCRCTL_DB" serve --listen "127.0.0.1:$port" --issuer "http://127.0.0.1:$port" \
    --path-prefix /oauth </dev/null >/dev/null 2>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 $((WAIT_SECONDS * 10))); do
    if grep -q "^listening on 127.0.0.1:$port\$" "$WORK/server.log"; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=""
      return 1
    fi
    sleep 0.1
  done
  echo "interop: server did not report listening within ${WAIT_SECONDS}s" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

ISSUER=""
for attempt in 1 2 3 4 5; do
  PORT="$(free_port)"
  if start_server "$PORT"; then
    ISSUER="http://127.0.0.1:$PORT"
    break
  fi
  echo "interop: server on port $PORT exited before listening (attempt $attempt):" >&2
  cat "$WORK/server.log" >&2
done
[ -n "$ISSUER" ] || { echo "interop: could not start dcrctl serve" >&2; exit 1; }
echo "interop: dcrctl serve at $ISSUER (pid $SERVER_PID)"

status=0
DCRCTL_ISSUER="$ISSUER" DCRCTL_IAT="$IAT" timeout 60 node "$HERE/interop.mjs" || status=$?
if [ "$status" -eq 124 ]; then
  echo "interop: interop.mjs did not finish within 60s" >&2
fi
stop_server
exit "$status"
