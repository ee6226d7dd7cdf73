#!/usr/bin/env bash
# Ingest throughput in isolation: N ingests of a real MP4 served from 127.0.0.1, C at a time, through
# the real VideoIngestor (guarded streaming download, ffprobe, poster, store). Prints progress on
# stderr and one JSON line per (build, concurrency) on stdout.
#
#   bench/ingest/run.sh                               # this tree vs. git HEAD's VideoGen.Core, A/B/A/B
#   INGEST_BASELINE=none bench/ingest/run.sh          # this tree only
#   INGEST_BASELINE=e4bdfc6 INGEST_ROUNDS=1 bench/ingest/run.sh
#
# Knobs (env): INGEST_VIDEOS (200), INGEST_CONCURRENCY (8,200: comma list), INGEST_CLIP (640x360-2s,
# FakeFal's default clip; e.g. 1280x720-5s), INGEST_WARMUP (8), INGEST_PROCESS_SLOTS (ProcessRunner
# bound; default 2 x cores), INGEST_TIMEOUT_SECONDS (300 per build and round), INGEST_BASELINE (HEAD;
# a commit whose src/VideoGen.Core is built as the "baseline" side; none = skip), INGEST_ROUNDS (2:
# baseline and current alternate, so a busy machine hurts both alike). VideoGen__Ingest__* and
# VideoGen__Ffmpeg__* tune the ingestor as they tune videogen.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
baseline="${INGEST_BASELINE:-HEAD}"
rounds="${INGEST_ROUNDS:-2}"
dotnet build bench/ingest -c Release -nologo -v quiet >&2
current_dll="bench/ingest/bin/Release/net10.0/ingest.dll"
baseline_dll=""
if [ "$baseline" != "none" ]; then
  base_dir="${TMPDIR:-/tmp}/videogen-ingest-baseline-$(git rev-parse --short "$baseline")"
  if [ ! -f "$base_dir/bench/ingest/bin/Release/net10.0/ingest.dll" ]; then
    rm -rf "$base_dir" && mkdir -p "$base_dir"
    git archive "$baseline" Directory.Build.props Directory.Packages.props global.json BannedSymbols.txt .editorconfig \
      src/VideoGen.Core src/VideoGen.Queue | tar -x -C "$base_dir"
    mkdir -p "$base_dir/bench/ingest"
    cp bench/ingest/*.cs bench/ingest/Ingest.csproj "$base_dir/bench/ingest/"
    dotnet build "$base_dir/bench/ingest" -c Release -nologo -v quiet >&2
  fi
  baseline_dll="$base_dir/bench/ingest/bin/Release/net10.0/ingest.dll"
fi
for ((r = 1; r <= rounds; r++)); do
  if [ -n "$baseline_dll" ]; then
    INGEST_LABEL="baseline $baseline" timeout "$((${INGEST_TIMEOUT_SECONDS:-300} + 60))" dotnet "$baseline_dll"
  fi
  INGEST_LABEL="current" timeout "$((${INGEST_TIMEOUT_SECONDS:-300} + 60))" dotnet "$current_dll"
done
