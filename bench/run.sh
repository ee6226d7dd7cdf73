#!/usr/bin/env bash
# Runs the queue benchmarks side by side on this machine and writes bench/results/latest.jsonl and
# docs/benchmarks.md. One command, no arguments needed:
#   bench/run.sh [--jobs 20000] [--enqueue-jobs 5000] [--samples 300] [--concurrency "16 256"] [--time-limit 60]
#                [--hangfire-redis-jobs 5000] [--hangfire-sqlite-jobs 500] [--repeat 2]
#                [--persistence "off everysec always"]
# With --repeat R every configuration runs R times, interleaved (all systems once, then again), and
# the report takes each system's best run: on a machine shared with other work, the best of R is the
# run least disturbed by the neighbours.
# It starts its own redis-server on a free loopback port in a temp dir (RDB and AOF off for every
# system alike), flushes it between runs, and stops it (by pid) when done.
# --persistence MODES measures what Redis durability costs: for each mode (off, everysec = AOF with
# appendfsync everysec, always = AOF with appendfsync always; set with CONFIG SET, same server) only
# the Redis queues run (videogen redis and BullMQ), interleaved mode by mode within each round, and
# the results go to bench/results/persistence.jsonl with a side-by-side table on stdout
# (docs/benchmarks.md is left alone). Every run is bounded by
# `timeout` and by each benchmark's own per-phase --time-limit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS=20000
ENQUEUE_JOBS=5000
SAMPLES=300
CONCURRENCY="16 256"
TIME_LIMIT=60
HF_REDIS_JOBS=5000
HF_SQLITE_JOBS=500
RUN_TIMEOUT=600
REPEAT=2
PERSISTENCE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) JOBS="$2"; shift 2 ;;
    --enqueue-jobs) ENQUEUE_JOBS="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --time-limit) TIME_LIMIT="$2"; shift 2 ;;
    --hangfire-redis-jobs) HF_REDIS_JOBS="$2"; shift 2 ;;
    --hangfire-sqlite-jobs) HF_SQLITE_JOBS="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --persistence) PERSISTENCE="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

for mode in $PERSISTENCE; do
  case "$mode" in off|everysec|always) ;; *) echo "--persistence takes off, everysec and/or always, not '$mode'" >&2; exit 2 ;; esac
done

# persist MODE: switches the running redis-server's AOF (and waits for the rewrite that turning it on starts).
persist() {
  if [ "$1" = off ]; then
    redis-cli -p "$PORT" config set appendonly no >/dev/null
  else
    redis-cli -p "$PORT" config set appendfsync "$1" >/dev/null
    redis-cli -p "$PORT" config set appendonly yes >/dev/null
    for _ in $(seq 1 300); do
      redis-cli -p "$PORT" info persistence | grep -q '^aof_rewrite_in_progress:0' && break
      sleep 0.1
    done
  fi
}

for tool in dotnet node npm redis-server redis-cli timeout; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/run.sh needs '$tool' on PATH" >&2; exit 1; }
done

WORK="$(mktemp -d -t videogen-bench.XXXXXX)"
REDIS_PID=""
cleanup() {
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

PORT="$(free_port)"
REDIS="127.0.0.1:$PORT"
REDIS_SETTINGS=(--save "" --appendonly no --maxmemory 0)
redis-server --port "$PORT" --bind 127.0.0.1 --dir "$WORK" --logfile "$WORK/redis.log" "${REDIS_SETTINGS[@]}" &
REDIS_PID=$!
for _ in $(seq 1 100); do
  redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$PORT" ping >/dev/null || { echo "redis-server did not answer on $REDIS" >&2; exit 1; }
echo "redis-server pid $REDIS_PID on $REDIS (RDB off, AOF off)" >&2

echo "building (Release)..." >&2
dotnet build -c Release "$ROOT/bench/VideoGen.Bench/VideoGen.Bench.csproj" -nologo -v q >&2
dotnet build -c Release "$ROOT/bench/hangfire/Hangfire.Bench.csproj" -nologo -v q >&2
if [ ! -d "$ROOT/bench/bullmq/node_modules/bullmq" ]; then
  (cd "$ROOT/bench/bullmq" && npm ci --no-audit --no-fund >&2)
fi
VG="$ROOT/bench/VideoGen.Bench/bin/Release/net10.0/VideoGen.Bench.dll"
HF="$ROOT/bench/hangfire/bin/Release/net10.0/Hangfire.Bench.dll"

OUT="$ROOT/bench/results/latest.jsonl"
mkdir -p "$ROOT/bench/results"
rm -rf "$ROOT/bench/results/failed"
: > "$WORK/results.jsonl"

# run NAME CMD...: runs one benchmark on a flushed Redis, keeps its JSON line, reports failures.
run() {
  local name="$1"; shift
  redis-cli -p "$PORT" flushall >/dev/null
  redis-cli -p "$PORT" config resetstat >/dev/null
  echo "== $name" >&2
  local line load
  load="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo null)"
  if line="$(timeout "$RUN_TIMEOUT" "$@" 2>"$WORK/stderr.txt" | grep '^{' | tail -n 1)" && [ -n "$line" ]; then
    line="${line%\}},\"load1_at_start\":$load,\"round\":$ROUND,\"aof\":\"$MODE\"}"
    echo "$line" | tee -a "$WORK/results.jsonl" >&2
  else
    echo "   FAILED: $name (see stderr below; kept in bench/results/failed/)" >&2
    tail -n 20 "$WORK/stderr.txt" >&2 || true
    mkdir -p "$ROOT/bench/results/failed"
    cp "$WORK/stderr.txt" "$ROOT/bench/results/failed/${name// /_}.round$ROUND.stderr.txt" || true
    echo "{\"run\":\"$name\",\"error\":\"run failed or timed out\",\"round\":$ROUND}" >> "$WORK/results.jsonl"
  fi
}

COMMON=(--samples "$SAMPLES" --time-limit "$TIME_LIMIT")
MODE=off
if [ -n "$PERSISTENCE" ]; then
  for ROUND in $(seq 1 "$REPEAT"); do
    for C in $CONCURRENCY; do
      for MODE in $PERSISTENCE; do
        persist "$MODE"
        run "videogen redis c=$C aof=$MODE" dotnet "$VG" queue --backend redis --redis "$REDIS" --jobs "$JOBS" --enqueue-jobs "$ENQUEUE_JOBS" --concurrency "$C" "${COMMON[@]}"
        run "bullmq c=$C aof=$MODE" node "$ROOT/bench/bullmq/bench.js" --redis "$REDIS" --jobs "$JOBS" --enqueue-jobs "$ENQUEUE_JOBS" --concurrency "$C" "${COMMON[@]}"
      done
    done
  done
  OUT="$ROOT/bench/results/persistence.jsonl"
  cp "$WORK/results.jsonl" "$OUT"
  # One line per system, concurrency and mode: best of the rounds, and the ratio to the same system with AOF off.
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse).filter(r => !r.error);
    const best = {};
    rows.forEach(r => {
      const key = `${r.system} c=${r.concurrency} aof=${r.aof}`;
      const b = best[key] ??= { enq: 0, proc: 0 };
      b.enq = Math.max(b.enq, r.enqueue_per_s); b.proc = Math.max(b.proc, r.process_per_s);
    });
    console.log("| system | concurrency | AOF | enqueue/s | processed/s | vs AOF off (enqueue, process) |");
    console.log("|---|---|---|---|---|---|");
    for (const [key, b] of Object.entries(best)) {
      const [system, c, aof] = key.split(" ");
      const off = best[`${system} ${c} aof=off`];
      const ratio = off ? `${(b.enq / off.enq).toFixed(2)}, ${(b.proc / off.proc).toFixed(2)}` : "";
      console.log(`| ${system} | ${c.slice(2)} | ${aof.slice(4)} | ${b.enq.toFixed(0)} | ${b.proc.toFixed(0)} | ${ratio} |`);
    }' "$OUT"
  echo "wrote $OUT" >&2
  exit 0
fi
for ROUND in $(seq 1 "$REPEAT"); do
  for C in $CONCURRENCY; do
    run "videogen redis c=$C" dotnet "$VG" queue --backend redis --redis "$REDIS" --jobs "$JOBS" --enqueue-jobs "$ENQUEUE_JOBS" --concurrency "$C" "${COMMON[@]}"
    run "bullmq c=$C" node "$ROOT/bench/bullmq/bench.js" --redis "$REDIS" --jobs "$JOBS" --enqueue-jobs "$ENQUEUE_JOBS" --concurrency "$C" "${COMMON[@]}"
    run "videogen sqlite c=$C" dotnet "$VG" queue --backend sqlite --data-dir "$WORK/sqlite" --jobs "$JOBS" --enqueue-jobs "$ENQUEUE_JOBS" --concurrency "$C" "${COMMON[@]}"
    run "hangfire inmemory c=$C" dotnet "$HF" --storage inmemory --jobs "$JOBS" --concurrency "$C" "${COMMON[@]}"
    run "hangfire redis c=$C" dotnet "$HF" --storage redis --redis "$REDIS" --jobs "$HF_REDIS_JOBS" --concurrency "$C" "${COMMON[@]}"
    # Hangfire.Storage.SQLite enqueues ~100/s here: a small warm-up, few jobs, and the time limit cap it.
    run "hangfire sqlite c=$C" dotnet "$HF" --storage sqlite --data-dir "$WORK/sqlite" --jobs "$HF_SQLITE_JOBS" --warmup 100 --concurrency "$C" "${COMMON[@]}"
  done
done

cp "$WORK/results.jsonl" "$OUT"
COMMAND="bench/run.sh --jobs $JOBS --enqueue-jobs $ENQUEUE_JOBS --samples $SAMPLES --concurrency \"$CONCURRENCY\" --time-limit $TIME_LIMIT --hangfire-redis-jobs $HF_REDIS_JOBS --hangfire-sqlite-jobs $HF_SQLITE_JOBS --repeat $REPEAT"
node "$ROOT/bench/report.js" \
  --results "$OUT" --out "$ROOT/docs/benchmarks.md" --command "$COMMAND" \
  --redis-version "$(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')" \
  --redis-settings "save \"\" (RDB off), appendonly no (AOF off), one redis-server shared by all, FLUSHALL + CONFIG RESETSTAT before each run"
echo "wrote $OUT and docs/benchmarks.md" >&2
