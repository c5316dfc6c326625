#!/usr/bin/env bash
# bench/apply_memory.sh — peak memory of `dcrctl apply` against the number of clients
# (issue 12 item 11).
#
#     bench/apply_memory.sh [N…]               # 10000 100000 1000000 by default
#     APPLY_BIN=path/to/dcrctl APPLY_DB=postgres bench/apply_memory.sh 100000
#
# For each N: a file of N all-valid client documents (generated here with awk; about 90
# bytes each), applied to a fresh registry — a SQLite file, or with APPLY_DB=postgres a fresh
# schema on the server DCRCTL_TEST_POSTGRES names — with the report sent to /dev/null. Prints
# N, the file's size, the "Maximum resident set size" that /usr/bin/time -v gives for the
# whole process, and the wall time. APPLY_BIN defaults to target/release/dcrctl.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${APPLY_BIN:-$REPO/target/release/dcrctl}
BACKEND=${APPLY_DB:-sqlite}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ $# -gt 0 ] || set -- 10000 100000 1000000

generate() {
    awk -v n="$1" 'BEGIN {
        printf "[";
        for (i = 0; i < n; i++) {
            if (i) printf ",\n";
            printf "{\"client_id\":\"c%07d\",\"client_name\":\"Client %d\",\"grant_types\":[\"client_credentials\"]}", i, i;
        }
        print "]";
    }' > "$2"
}

fresh_db() {
    if [ "$BACKEND" = postgres ]; then
        : "${DCRCTL_TEST_POSTGRES:?APPLY_DB=postgres needs DCRCTL_TEST_POSTGRES}"
        local schema="apply_mem_$$_$1"
        psql "$DCRCTL_TEST_POSTGRES" -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
        local sep='?'
        case $DCRCTL_TEST_POSTGRES in *\?*) sep='&' ;; esac
        echo "${DCRCTL_TEST_POSTGRES}${sep}options=-csearch_path%3D$schema"
    else
        echo "$WORK/clients-$1.db"
    fi
}

drop_db() {
    if [ "$BACKEND" = postgres ]; then
        psql "$DCRCTL_TEST_POSTGRES" -qc "SET client_min_messages = warning; DROP SCHEMA IF EXISTS apply_mem_$$_$1 CASCADE" >/dev/null
    fi
}

printf '%-9s %-9s %-10s %-12s %s\n' backend clients file_MB max_rss_MB seconds
for n in "$@"; do
    file=$WORK/apply-$n.json
    generate "$n" "$file"
    db=$(fresh_db "$n")
    /usr/bin/time -v -o "$WORK/time" "$BIN" --db "$db" apply "$file" >/dev/null 2>"$WORK/stderr" ||
        { cat "$WORK/stderr" "$WORK/time" >&2; exit 1; }
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time")
    size=$(stat -c %s "$file")
    printf '%-9s %-9s %-10s %-12s %s\n' "$BACKEND" "$n" "$((size / 1048576))" "$((rss_kb / 1024))" "$wall"
    drop_db "$n"
    rm -f "$file" "$WORK"/clients-"$n".db*
done
