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
NAME=interop
# shellcheck source=../lib/serve.sh
. "$HERE/../lib/serve.sh"

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

start_dcrctl --path-prefix /oauth
ISSUER="$BASE"

status=0
DCRCTL_ISSUER="$ISSUER" DCRCTL_IAT="$IAT" timeout 60 node "$HERE/interop.mjs" || status=$?
if [ "$status" -eq 124 ]; then
  echo "interop: interop.mjs did not finish within 60s" >&2
fi
stop_server
exit "$status"
