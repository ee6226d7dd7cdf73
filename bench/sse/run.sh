#!/usr/bin/env bash
# SSE scale benchmark (issue 15): `videogen serve` with N open per-video event streams, on the SQLite queue and on
# the Redis queue, N = 10 and 5,000 by default. Writes bench/results/sse.jsonl (one line per run) and prints it.
#   bench/sse/run.sh [--streams "10 5000"] [--videos 10]
# Needs about 2 x N + 200 open files in this shell (`ulimit -n`; raised here when the hard limit allows) and
# redis-server on PATH (started on a free loopback port in a temp dir, persistence off, stopped by pid at the end).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STREAMS="10 5000"
VIDEOS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --streams) STREAMS="$2"; shift 2 ;;
    --videos) VIDEOS="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd "$ROOT"
dotnet build src/VideoGen.Server -c Release -nologo -v quiet >&2
DLL="$ROOT/src/VideoGen.Server/bin/Release/net10.0/videogen.dll"

TMP="$(mktemp -d)"
PORT=$(( 40000 + RANDOM % 20000 ))
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP" >"$TMP/redis.log" 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

OUT="$ROOT/bench/results/sse.jsonl"
: >"$OUT"
for backend in sqlite redis; do
  for n in $STREAMS; do
    redis-cli -p "$PORT" flushall >/dev/null
    timeout 600 node bench/sse/sse-bench.mjs --dll "$DLL" --backend "$backend" --redis-port "$PORT" --streams "$n" --videos "$VIDEOS" | tee -a "$OUT"
  done
done
