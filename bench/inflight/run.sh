#!/usr/bin/env bash
# In-flight scale benchmark: one `videogen worker` holding many videos waiting at FakeFal.
# Prints progress on stderr and ONE JSON line of figures on stdout.
#
#   bench/inflight/run.sh                      # 10,000 videos, 30 s generation, worker concurrency 10,000
#   INFLIGHT_VIDEOS=500 bench/inflight/run.sh  # a quick smoke run
#
# Knobs (env): INFLIGHT_VIDEOS (10000), INFLIGHT_CONCURRENCY (10000), INFLIGHT_GENERATION_SECONDS (30),
# INFLIGHT_QUEUE_DELAY_SECONDS (60: minimum time IN_QUEUE at FakeFal, so every video is in flight at
# once while the rest are still being created), INFLIGHT_POLL_INTERVAL / INFLIGHT_MAX_POLL_INTERVAL
# (videogen defaults 1 s / 15 s), INFLIGHT_CREATE_PARALLELISM (16), INFLIGHT_TIMEOUT_SECONDS (1800),
# INFLIGHT_PLATEAU_ONLY_SECONDS (0 = wait until every video is terminal; N = stop N s after all are in
# flight at FakeFal: memory and polling figures only, no ingest of the results),
# INFLIGHT_FAL_ATTEMPT_TIMEOUT (videogen default 00:00:30; a submit that times out is failed, never resent),
# INFLIGHT_WEBHOOKS (1 = FakeFal calls the API process back, which promotes the parked job; default polling only),
# INFLIGHT_FAKEFAL_SLOTS (FakeFal's generations at once per model; default 2 x videos; the rest wait IN_QUEUE there).
# INFLIGHT_CONCURRENCY=default runs the worker with videogen's default concurrency (4): parked videos hold no handler.
# The processes run as videogen ships (runtime settings from videogen.runtimeconfig.json); the JSON line
# reports the worker's GC mode, and DOTNET_* variables in this environment reach the children.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
for p in src/VideoGen.Server tools/FakeFal bench/inflight; do
  dotnet build "$p" -c Release -nologo -v quiet >&2
done
exec dotnet "bench/inflight/bin/Release/net10.0/inflight.dll"
