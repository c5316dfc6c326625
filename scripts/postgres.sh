#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and benchmarks: `start` prints the `export` lines that
# point the tests at it, `stop` ends it and removes its data.
#
#   eval "$(scripts/postgres.sh start)"     # sets DCRCTL_TEST_POSTGRES, DCRCTL_PG_CLUSTER and
#                                           # DCRCTL_TEST_POSTGRES_CA
#   cargo test --locked                     # now also runs the PostgreSQL tests
#   scripts/postgres.sh stop
#
# DCRCTL_PG_STATE names the file that remembers the cluster for `stop`, so a second cluster
# can run beside one that others are using.
#
# When DCRCTL_TEST_POSTGRES already names a reachable server, `start` uses it and starts
# nothing. Otherwise it installs Debian's `postgresql` when no server binaries are present,
# then runs `initdb` and `postgres` on a free loopback port with the data in a temp folder.
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
# Connections over TCP need a password (SCRAM), so the tests exercise a password in the URL.
# The server also speaks TLS, with a certificate for 127.0.0.1 and localhost from a CA made
# for this cluster alone (DCRCTL_TEST_POSTGRES_CA), so the tests can check every sslmode.
set -euo pipefail

password="dcrctl-test-password"
state_file="${DCRCTL_PG_STATE:-${TMPDIR:-/tmp}/dcrctl-postgres.state}"

say() { echo "$@" >&2; }

server_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

reachable() {
  command -v psql >/dev/null 2>&1 && psql "$1" -Atqc 'SELECT 1' >/dev/null 2>&1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A CA and a server certificate it signed, for 127.0.0.1 and localhost only; the key is the
# server's alone (PostgreSQL refuses a key others can read).
make_certificates() {
  local dir="$1"
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/CN=dcrctl test CA" -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$dir/ext.cnf"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 30 -extfile "$dir/ext.cnf" -out "$dir/server.crt" 2>/dev/null
  rm -f "$dir/ca.key" "$dir/server.csr" "$dir/ext.cnf" "$dir/ca.srl"
  chmod 0600 "$dir/server.key"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir/server.key" "$dir/server.crt"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
  if [ -n "${DCRCTL_TEST_POSTGRES:-}" ] && reachable "$DCRCTL_TEST_POSTGRES"; then
    say "using the PostgreSQL already at DCRCTL_TEST_POSTGRES"
    echo "export DCRCTL_TEST_POSTGRES='$DCRCTL_TEST_POSTGRES'"
    if [ -n "${DCRCTL_TEST_POSTGRES_CA:-}" ]; then
      echo "export DCRCTL_TEST_POSTGRES_CA='$DCRCTL_TEST_POSTGRES_CA'"
    fi
    return 0
  fi
  local bin
  if ! bin="$(server_bin)"; then
    say "installing postgresql (Debian package)"
    if [ "$(id -u)" = 0 ]; then
      apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
    else
      say "error: no PostgreSQL server binaries, and installing them needs root"
      return 1
    fi
    bin="$(server_bin)"
  fi
  local data port
  data="$(mktemp -d "${TMPDIR:-/tmp}/dcrctl-pg.XXXXXX")"
  port="$(free_port)"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$data"
  fi
  as_owner "$bin/initdb" -D "$data/db" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 || { cat "$data/initdb.log" >&2; return 1; }
  make_certificates "$data/tls"
  # Tuned for a test box: durable commits stay on (the tests check durability), but there is
  # no archiving and the buffers fit a small machine.
  cat >>"$data/db/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
shared_buffers = 128MB
fsync = on
synchronous_commit = on
log_min_messages = warning
ssl = on
ssl_cert_file = '$data/tls/server.crt'
ssl_key_file = '$data/tls/server.key'
EOF
  as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 start >&2
  printf '%s\n%s\n%s\n' "$bin" "$data" "$port" >"$state_file"
  as_owner psql -h "$data" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE dcrctl LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE dcrctl_test OWNER dcrctl" >&2 || { stop; return 1; }
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $data)"
  echo "export DCRCTL_TEST_POSTGRES='postgres://dcrctl:$password@127.0.0.1:$port/dcrctl_test'"
  echo "export DCRCTL_PG_CLUSTER='$data'"
  echo "export DCRCTL_TEST_POSTGRES_CA='$data/tls/ca.crt'"
}

stop() {
  [ -f "$state_file" ] || return 0
  local bin data
  bin="$(sed -n 1p "$state_file")"
  data="$(sed -n 2p "$state_file")"
  as_owner "$bin/pg_ctl" -D "$data/db" -m immediate -w stop >&2 || true
  rm -rf "$data" "$state_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) say "usage: $0 start|stop"; exit 2 ;;
esac
