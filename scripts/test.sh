#!/usr/bin/env bash
# Runs every test: installs what the tests need (Debian packages), starts PostgreSQL, builds,
# runs all test projects, and prints one line "N passed, N failed, N skipped".
# Redis instances are started by the tests themselves (a fixture per test class), from redis-server on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_packages ffmpeg fonts-dejavu-core redis-server redis-sentinel chromium postgresql
# scripts/cluster.sh (run by ClusterScriptTests): HAProxy in front of the API hosts, socat relays, ip netns.
ensure_packages haproxy socat iproute2
command -v node >/dev/null 2>&1 || ensure_packages nodejs npm

# PostgreSQL: start the distribution's cluster (create one if the machine has none).
if command -v pg_lsclusters >/dev/null 2>&1; then
  if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    pg_createcluster 15 main >/dev/null 2>&1 || pg_createcluster "$(ls /usr/lib/postgresql | sort -n | tail -1)" main >/dev/null
  fi
  read -r pg_ver pg_cluster pg_port pg_status _ < <(pg_lsclusters -h | head -1)
  [ "$pg_status" = "online" ] || pg_ctlcluster "$pg_ver" "$pg_cluster" start
  su postgres -c "psql -p $pg_port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='videogen'\"" | grep -q 1 \
    || su postgres -c "psql -p $pg_port -qc \"CREATE ROLE videogen LOGIN SUPERUSER PASSWORD 'videogen'\""
  export VIDEOGEN_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=videogen;Password=videogen;Database=postgres"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build VideoGen.slnx -c Debug -nologo -v quiet

log="$(mktemp)"
set +e
dotnet test --solution VideoGen.slnx --no-build -c Debug 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One line totalled over all test projects, from dotnet test's closing summary.
total=$(awk '/^ *total:/ {v=$2} END {print v+0}' "$log")
failed=$(awk '/^ *failed:/ {v=$2} END {print v+0}' "$log")
passed=$(awk '/^ *succeeded:/ {v=$2} END {print v+0}' "$log")
skipped=$(awk '/^ *skipped:/ {v=$2} END {print v+0}' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=$(( total - passed - skipped )); [ "$failed" -gt 0 ] || failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
