#!/usr/bin/env bash
# bench/maintenance.sh — the cron and provisioning benchmarks of issue 4.
#
#     bench/maintenance.sh            # both
#     BENCH_ONLY=prune bench/maintenance.sh
#
#   prune: a 1,000,000-client registry (the seed of bench/cli.sh) with 100,000 clients whose
#          secret expired; `dcrctl prune --expired-for 1d` timed with GNU time (wall, peak RSS)
#          while a second process runs `dcrctl show ID` in a loop; reports the slowest show.
#          Targets: prune <= 5 s, RSS <= 50 MB, no show slower than 100 ms.
#          Run on two seeds: client ids as dcrctl generates them, and random ids (see below).
#   apply: 10,000 new clients from one file on an empty database (target <= 3 s), then the
#          same file again, which must change nothing (target <= 1 s). hyperfine medians.
#
# Environment: BENCH_ONLY [prune apply], BENCH_PRUNE_RUNS [3], BENCH_APPLY_RUNS [5],
# BENCH_PRUNE_IDS [time random], BENCH_PRUNE_LAYOUTS [clustered scattered],
# BENCH_BUILD [1]. Seeds and copies live in bench/out (gitignored).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
OUT="${BENCH_OUT:-$REPO/bench/out}"
ONLY="${BENCH_ONLY:-prune apply}"
PRUNE_RUNS="${BENCH_PRUNE_RUNS:-3}"
APPLY_RUNS="${BENCH_APPLY_RUNS:-5}"
BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/dcrctl"
mkdir -p "$OUT"
wants() { [[ " $ONLY " == *" $1 "* ]]; }
log() { printf '\n==> %s\n' "$*" >&2; }
summary=()

for tool in hyperfine sqlite3 /usr/bin/time python3; do
  command -v "$tool" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine sqlite3 time >/dev/null; break; }
done
if [ "${BENCH_BUILD:-1}" = 1 ]; then (cd "$REPO" && cargo build --release --quiet); fi

if wants prune; then
  work="$OUT/prune.db"
  # clustered: the 100,000 oldest confidential clients expired (expiry follows registration,
  # the usual case); scattered: every 7th one, spread over the whole file (the worst case).
  declare -A pick=(
    [clustered]="SELECT rowid FROM clients WHERE client_secret_expires_at IS NOT NULL ORDER BY rowid LIMIT 100000"
    [scattered]="SELECT rowid FROM clients WHERE client_secret_expires_at IS NOT NULL AND rowid % 7 = 0 LIMIT 100000"
  )
  prepare() { # seed layout
    rm -f "$work" "$work-wal" "$work-shm"
    cp "$1" "$work"
    sqlite3 "$work" "UPDATE clients SET client_secret_expires_at = 1000 WHERE rowid IN (${pick[$2]});
      PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  }
  # ids: "time" is what dcrctl generates (creation time first, so the three indexes keyed by
  # client_id keep registration order); "random" is a registry of hand-chosen or imported ids,
  # whose index entries for the expired clients are spread over every page.
  for ids in ${BENCH_PRUNE_IDS:-time random}; do
    if [ "$ids" = time ]; then variant=seed; seed="$OUT/seed-1000000.db"
    else variant=seed-random-ids; seed="$OUT/seed-1000000-random-ids.db"; fi
    # bench/cli.sh rebuilds a seed when seed.sql or the schema changed, else reuses it
    BENCH_ONLY=$variant BENCH_BUILD=0 BENCH_DIAG=0 BENCH_CARGO_HYPERFINE=0 "$BENCH_DIR/cli.sh" >/dev/null
    probe_id=$(sqlite3 "$seed" "SELECT client_id FROM clients WHERE client_secret_expires_at IS NULL LIMIT 1")
    for layout in ${BENCH_PRUNE_LAYOUTS:-clustered scattered}; do
      label="$layout, $ids ids"
      log "floor ($label): sqlite3 deleting the same clients in one statement and one transaction"
      prepare "$seed" "$layout"
      /usr/bin/time -f "%e" -o "$OUT/floor.time" sqlite3 "$work" "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;
        DELETE FROM clients WHERE client_secret_expires_at > 0 AND client_secret_expires_at <= 2000;" >/dev/null
      floor=$(cat "$OUT/floor.time")
      for run in $(seq 1 "$PRUNE_RUNS"); do
        log "prune ($label) run $run"
        prepare "$seed" "$layout"
        "$BIN" --db "$work" show "$probe_id" >/dev/null   # warm the page cache like a live system
        python3 - "$BIN" "$work" "$probe_id" "$OUT/probe-$run.txt" <<'PY' &
import subprocess, sys, time
binary, db, client, out = sys.argv[1:]
samples, deadline = [], time.time() + 120
while time.time() < deadline:
    start = time.perf_counter()
    subprocess.run([binary, "--db", db, "show", client], stdout=subprocess.DEVNULL, check=True)
    samples.append((time.perf_counter() - start) * 1000)
    try:
        open(out + ".stop").close()
        break
    except FileNotFoundError:
        pass
open(out, "w").write("\n".join(f"{s:.2f}" for s in samples))
PY
        probe=$!
        sleep 0.5
        /usr/bin/time -f "%e %M" -o "$OUT/prune-$run.time" "$BIN" --db "$work" prune --expired-for 1d >/dev/null
        touch "$OUT/probe-$run.txt.stop"
        wait "$probe"
        rm -f "$OUT/probe-$run.txt.stop"
        left=$(sqlite3 "$work" "SELECT count(*) FROM clients")
        read -r wall rss < "$OUT/prune-$run.time"
        worst=$(sort -g "$OUT/probe-$run.txt" | tail -1)
        shows=$(wc -l < "$OUT/probe-$run.txt")
        echo "prune ($label) run $run: ${wall}s (sqlite3 floor ${floor}s), peak RSS $((rss / 1024)) MB, $left left; $shows concurrent shows, slowest ${worst} ms"
        summary+=("prune ($label) $run: ${wall} s (one-statement sqlite3 floor ${floor} s), RSS $((rss / 1024)) MB, slowest of $shows concurrent shows ${worst} ms")
      done
    done
  done
fi

if wants apply; then
  file="$OUT/apply-10000.json"
  python3 - "$file" <<'PY'
import json, sys
docs = [{
    "client_id": f"app-{n:05d}",
    "client_name": f"Provisioned app {n}",
    "redirect_uris": [f"https://app{n}.example.com/callback"],
    "scope": "openid profile",
    "contacts": [f"team{n % 50}@example.com"],
} for n in range(10000)]
json.dump(docs, open(sys.argv[1], "w"))
PY
  db="$OUT/apply.db"
  log "apply 10,000 new clients (empty database each run)"
  hyperfine --runs "$APPLY_RUNS" --warmup 1 --export-json "$OUT/apply-new.json" \
    --prepare "rm -f $db $db-wal $db-shm" "$BIN --db $db apply $file"
  log "re-apply the same file (nothing changes)"
  before=$(sqlite3 "$db" "SELECT count(*) FROM events")
  hyperfine --runs "$APPLY_RUNS" --warmup 1 --export-json "$OUT/apply-again.json" "$BIN --db $db apply $file"
  after=$(sqlite3 "$db" "SELECT count(*) FROM events")
  [ "$before" = "$after" ] || { echo "re-apply wrote audit entries ($before -> $after)" >&2; exit 1; }
  med() { python3 -c "import json,sys; print('%.3f' % json.load(open(sys.argv[1]))['results'][0]['median'])" "$1"; }
  summary+=("apply 10,000 new: median $(med "$OUT/apply-new.json") s; re-apply: median $(med "$OUT/apply-again.json") s (no writes)")
fi

printf '\nsummary:\n'
printf '  %s\n' "${summary[@]}"
