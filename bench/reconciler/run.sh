#!/usr/bin/env bash
# Reconciler scale benchmark: N unfinished videos (every unfinished status) with their jobs, a few of whose jobs are
# removed; the reconciler (in process, SQLite queue) pages through them until a full cycle is done. Prints progress
# on stderr and ONE JSON line of figures on stdout.
#
#   bench/reconciler/run.sh                                   # 20,000 rows, SQLite app database
#   RECONCILER_DATABASE=postgres RECONCILER_POSTGRES='Host=127.0.0.1;Username=…;Password=…;Database=postgres' bench/reconciler/run.sh
#
# Knobs (env): RECONCILER_ROWS (20000), RECONCILER_ROWS_PER_PASS (VideoGen:Queue:ReconcileRowsPerPass; default the
# app's, 20000), RECONCILER_REMOVED (10: jobs removed, spread from the oldest row to the newest),
# RECONCILER_DATABASE (sqlite | postgres), RECONCILER_POSTGRES (a connection string; a fresh database is created in
# that server and dropped afterwards).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dotnet build bench/reconciler -c Release -nologo -v quiet >&2
exec dotnet "bench/reconciler/bin/Release/net10.0/reconciler-bench.dll"
