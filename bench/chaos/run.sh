#!/usr/bin/env bash
# The chaos ledger at bench size: the CI test ChaosLedgerTests (tests/VideoGen.Server.Tests/Chaos) run with more
# videos, longer chaos and more kills. videogen serve + two videogen worker processes on Redis and PostgreSQL,
# FakeFal with every fault mixed in; prints the ledger (Markdown) and writes it to a file.
#
#   bench/chaos/run.sh                          # 5,000 videos, webhooks on
#   bench/chaos/run.sh --videos 20000 --polling # polling only (no PublicBaseUrl): undelivered videos are named
#
# Options: --videos N (5000), --polling (webhooks off), --out FILE (bench/chaos/results/ledger-<N>-<webhooks|polling>.md).
# Needs redis-server, ffmpeg and PostgreSQL (VIDEOGEN_TEST_POSTGRES, a connection string to a server where a fresh
# database may be created and dropped; when unset, the distribution's cluster is started as scripts/test.sh does).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
source scripts/lib.sh

videos=5000
webhooks=true
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --videos) videos="$2"; shift 2 ;;
    --polling) webhooks=false; shift ;;
    --out) out="$2"; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
mode=$([ "$webhooks" = true ] && echo webhooks || echo polling)
[ -n "$out" ] || out="bench/chaos/results/ledger-$videos-$mode.md"
mkdir -p "$(dirname "$out")"

ensure_packages ffmpeg redis-server postgresql
if [ -z "${VIDEOGEN_TEST_POSTGRES:-}" ]; then
  read -r pg_ver pg_cluster pg_port pg_status _ < <(pg_lsclusters -h | head -1)
  [ "$pg_status" = "online" ] || pg_ctlcluster "$pg_ver" "$pg_cluster" start
  su postgres -c "psql -p $pg_port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='videogen'\"" | grep -q 1 \
    || su postgres -c "psql -p $pg_port -qc \"CREATE ROLE videogen LOGIN SUPERUSER PASSWORD 'videogen'\""
  export VIDEOGEN_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=videogen;Password=videogen;Database=postgres"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tools/FakeFal -c Debug -nologo -v quiet >&2
dotnet build tests/VideoGen.Server.Tests -c Debug -nologo -v quiet >&2

export VIDEOGEN_CHAOS_VIDEOS="$videos" VIDEOGEN_CHAOS_WEBHOOKS="$webhooks" VIDEOGEN_CHAOS_LEDGER_FILE="$root/$out" CI=true
set +e
dotnet test --project tests/VideoGen.Server.Tests --no-build -c Debug \
  --filter-method 'VideoGen.Server.Tests.Chaos.ChaosLedgerTests.MixedFaultsAndKills_NothingPaidTwice_NothingPaidLost_NothingStuck' \
  --output Detailed
status=$?
set -e
echo "ledger written to $out" >&2
exit "$status"
