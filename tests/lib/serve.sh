# tests/lib/serve.sh — start and stop `dcrctl serve` for the check scripts (sourced, not run).
#
# The caller sets DCRCTL (the binary), DCRCTL_DB, WORK (a scratch folder), WAIT_SECONDS and
# NAME (the prefix of messages), and calls `start_dcrctl [serve options…]` once and
# `stop_server` on exit. `start_dcrctl` sets BASE (http://127.0.0.1:PORT, also the issuer) and
# SERVER_PID; the server's stderr goes to $WORK/server.log. Every wait is bounded.

SERVER_PID=""
BASE=""

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 $((WAIT_SECONDS * 10))); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$NAME: server ignored SIGTERM for ${WAIT_SECONDS}s; killing it" >&2
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

# serve_on PORT [options…]: start the server there; fails when it exits before listening.
serve_on() {
  local port="$1"
  shift
  : >"$WORK/server.log"
  "$DCRCTL" --db "$DCRCTL_DB" serve --listen "127.0.0.1:$port" --issuer "http://127.0.0.1:$port" \
    "$@" </dev/null >/dev/null 2>"$WORK/server.log" &
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
  echo "$NAME: server did not report listening within ${WAIT_SECONDS}s" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

# The issuer must be the URL clients use, so the port is chosen before the server starts: a
# free port from the kernel, then `serve` on it. Another process could take the port in between,
# so a server that exits before listening is retried on a new port.
start_dcrctl() {
  local attempt port
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if serve_on "$port" "$@"; then
      BASE="http://127.0.0.1:$port"
      echo "$NAME: dcrctl serve at $BASE (pid $SERVER_PID)"
      return 0
    fi
    echo "$NAME: server on port $port exited before listening (attempt $attempt):" >&2
    cat "$WORK/server.log" >&2
  done
  echo "$NAME: could not start dcrctl serve" >&2
  exit 1
}
