#!/usr/bin/env bash
# A VideoGen cluster on simulated hosts, with faults, and a ledger of what came out of it.
#
#   scripts/cluster.sh [--videos N] [--no-build] [--configuration Debug|Release]
#
# One network namespace per host, joined by a bridge in a namespace of its own (addresses
# 10.77.0.0/24 exist only inside them): db (PostgreSQL 15, initdb'd into a temp dir), redis
# (primary, replica, three sentinels), s3 (s3rver), fakefal (FakeFal, webhooks on), lb (HAProxy),
# api1/api2 (videogen serve, workers off), worker1-3 (videogen worker), client (the driver,
# tools/ClusterDriver). The driver sends N videos through the load balancer while worker1 dies,
# worker2 is cut off for 30 s, the Redis primary is killed and api2 is stopped, then checks every
# video through both API hosts and prints the ledger. Every process and namespace of the run is
# removed at the end, whatever happens. Exit status: 0 when every must-be-zero line of the ledger
# is zero, 1 otherwise, 2 when the cluster could not be set up. Needs root (ip netns).
# Logs and the ledger of the last run: artifacts/cluster/last/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/lib.sh

videos=200
build=1
configuration=Debug
while [ $# -gt 0 ]; do
  case "$1" in
    --videos) videos=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --configuration|-c) configuration=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$videos" =~ ^[0-9]+$ ]] && [ "$videos" -ge 10 ] || { echo "cluster: --videos must be a number >= 10" >&2; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
  echo "cluster: needs root (network namespaces, veth pairs, a bridge); run it as root" >&2
  exit 2
fi
ensure_packages iproute2 haproxy socat redis-server redis-sentinel postgresql ffmpeg
command -v node >/dev/null 2>&1 || ensure_packages nodejs npm
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PG_BIN/initdb" ] || { echo "cluster: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "$build" -eq 1 ]; then
  for project in src/VideoGen.Server tools/FakeFal tools/ClusterDriver; do
    dotnet build "$project" -c "$configuration" -nologo -v quiet >&2
  done
fi
CLUSTER_VIDEOGEN_DLL=$ROOT/src/VideoGen.Server/bin/$configuration/net10.0/videogen.dll
FAKEFAL_DLL=$ROOT/tools/FakeFal/bin/$configuration/net10.0/FakeFal.dll
DRIVER_DLL=$ROOT/tools/ClusterDriver/bin/$configuration/net10.0/ClusterDriver.dll
for dll in "$CLUSTER_VIDEOGEN_DLL" "$FAKEFAL_DLL" "$DRIVER_DLL"; do
  [ -f "$dll" ] || { echo "cluster: $dll is not built (run without --no-build)" >&2; exit 2; }
done

# s3rver, installed like the tests install it (tests/VideoGen.Testing/S3rverServer.cs).
S3RVER_VERSION=3.7.1
S3RVER_DIR=$ROOT/artifacts/test-tools/s3rver-$S3RVER_VERSION
S3RVER=$S3RVER_DIR/node_modules/s3rver/bin/s3rver.js
if [ ! -f "$S3RVER" ]; then
  mkdir -p "$S3RVER_DIR"
  (cd "$S3RVER_DIR" && flock .install.lock npm install --no-audit --no-fund --no-save --prefix "$S3RVER_DIR" "s3rver@$S3RVER_VERSION" >&2)
fi

CLUSTER_RUN=$(printf '%04x' $((RANDOM % 65536)))
CLUSTER_STATE=$(mktemp -d "${TMPDIR:-/tmp}/vgc-XXXXXX")
chmod 755 "$CLUSTER_STATE"
mkdir -p "$CLUSTER_STATE/logs" "$CLUSTER_STATE/data"
: >"$CLUSTER_STATE/pids"
CLUSTER_WEBHOOK_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
CLUSTER_PG_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
CLUSTER_WORKER_CONCURRENCY=6
export CLUSTER_RUN CLUSTER_STATE
source scripts/cluster/hosts.sh
cat >"$CLUSTER_STATE/env" <<ENV
CLUSTER_RUN=$CLUSTER_RUN
CLUSTER_STATE=$CLUSTER_STATE
CLUSTER_VIDEOGEN_DLL=$CLUSTER_VIDEOGEN_DLL
CLUSTER_WEBHOOK_SECRET=$CLUSTER_WEBHOOK_SECRET
CLUSTER_PG_PASSWORD=$CLUSTER_PG_PASSWORD
CLUSTER_WORKER_CONCURRENCY=$CLUSTER_WORKER_CONCURRENCY
ENV

# Teardown, whatever happens: every process in the run's namespaces (only this run's: the names
# carry its id), then the namespaces (their veth pairs go with them), then the temp dir. Logs and
# the ledger are kept in artifacts/cluster/last.
teardown() {
  local status=$? host
  trap - EXIT INT TERM
  for host in "${CLUSTER_HOSTS[@]}"; do kill_host "$host"; done
  sleep 0.5
  for host in "${CLUSTER_HOSTS[@]}"; do kill_host "$host"; ip netns del "$(cluster_ns "$host")" 2>/dev/null || true; done
  ip netns del "$(cluster_bridge_ns)" 2>/dev/null || true
  rm -rf "$ROOT/artifacts/cluster/last"
  mkdir -p "$ROOT/artifacts/cluster/last"
  cp -r "$CLUSTER_STATE/logs/." "$ROOT/artifacts/cluster/last/" 2>/dev/null || true
  rm -rf "$CLUSTER_STATE"
  echo "cluster: torn down (run $CLUSTER_RUN); logs in artifacts/cluster/last" >&2
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

setup_failed() { echo "cluster: setup failed: $1" >&2; exit 2; }

# --- network: a bridge in its own namespace, one veth pair per host ---
BR_NS=$(cluster_bridge_ns)
ip netns add "$BR_NS" || setup_failed "ip netns add (is this root with CAP_SYS_ADMIN?)"
ip -n "$BR_NS" link set lo up
ip -n "$BR_NS" link add br0 type bridge
ip -n "$BR_NS" link set br0 up
i=0
for host in "${CLUSTER_HOSTS[@]}"; do
  ns=$(cluster_ns "$host")
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add "vgc${CLUSTER_RUN}${i}a" type veth peer name "vgc${CLUSTER_RUN}${i}b"
  ip link set "vgc${CLUSTER_RUN}${i}a" netns "$ns" name eth0
  ip link set "vgc${CLUSTER_RUN}${i}b" netns "$BR_NS" name "$host"
  ip -n "$BR_NS" link set "$host" master br0 up
  ip -n "$ns" addr add "${CLUSTER_ADDR[$host]}/24" dev eth0
  ip -n "$ns" link set eth0 up
  i=$((i + 1))
done
echo "cluster: run $CLUSTER_RUN, ${#CLUSTER_HOSTS[@]} hosts on bridge namespace $BR_NS" >&2

# --- db: PostgreSQL initdb'd into the run's temp dir, run as postgres inside the namespace ---
PGDATA=$CLUSTER_STATE/data/pg
mkdir -p "$PGDATA" "$CLUSTER_STATE/data/pgsock"
chown postgres:postgres "$PGDATA" "$CLUSTER_STATE/data/pgsock"
echo "$CLUSTER_PG_PASSWORD" >"$CLUSTER_STATE/data/pgpass" && chown postgres "$CLUSTER_STATE/data/pgpass" && chmod 600 "$CLUSTER_STATE/data/pgpass"
setpriv --reuid=postgres --regid=postgres --init-groups "$PG_BIN/initdb" -D "$PGDATA" -U postgres \
  --auth-local=trust --auth-host=scram-sha-256 >"$CLUSTER_STATE/logs/initdb.log" 2>&1 || setup_failed "initdb (see logs/initdb.log)"
echo "host all all 10.77.0.0/24 scram-sha-256" >>"$PGDATA/pg_hba.conf"
start_on_host db postgres setpriv --reuid=postgres --regid=postgres --init-groups "$PG_BIN/postgres" -D "$PGDATA" \
  -c "listen_addresses=${CLUSTER_ADDR[db]}" -c "port=$CLUSTER_PG_PORT" -c "unix_socket_directories=$CLUSTER_STATE/data/pgsock" \
  -c max_connections=400 -c fsync=off -c synchronous_commit=off
wait_for_port db "${CLUSTER_ADDR[db]}" "$CLUSTER_PG_PORT" 60 || setup_failed "PostgreSQL did not start"
on_host db setpriv --reuid=postgres --regid=postgres --init-groups "$PG_BIN/psql" -h "$CLUSTER_STATE/data/pgsock" -p "$CLUSTER_PG_PORT" -U postgres -q \
  -c "CREATE ROLE videogen LOGIN PASSWORD '$CLUSTER_PG_PASSWORD'" -c "CREATE DATABASE videogen OWNER videogen" \
  || setup_failed "creating the videogen role and database"

# --- redis: primary, replica, three sentinels ---
REDIS_ADDR=${CLUSTER_ADDR[redis]}
for role in primary replica; do
  port=${CLUSTER_REDIS_PORTS[0]}; extra=()
  if [ "$role" = replica ]; then port=${CLUSTER_REDIS_PORTS[1]}; extra=(--replicaof "$REDIS_ADDR" "${CLUSTER_REDIS_PORTS[0]}"); fi
  mkdir -p "$CLUSTER_STATE/data/redis-$role"
  start_on_host redis "redis-$role" redis-server --port "$port" --bind "$REDIS_ADDR" --protected-mode no \
    --dir "$CLUSTER_STATE/data/redis-$role" --appendonly yes --appendfsync everysec --save "" "${extra[@]}"
  wait_for_port redis "$REDIS_ADDR" "$port" 30 || setup_failed "redis $role did not start"
done
n=0
for port in "${CLUSTER_SENTINEL_PORTS[@]}"; do
  dir=$CLUSTER_STATE/data/sentinel$n; mkdir -p "$dir"
  cat >"$dir/sentinel.conf" <<CONF
port $port
bind $REDIS_ADDR
protected-mode no
dir $dir
sentinel monitor $CLUSTER_REDIS_SERVICE $REDIS_ADDR ${CLUSTER_REDIS_PORTS[0]} 2
sentinel down-after-milliseconds $CLUSTER_REDIS_SERVICE 1000
sentinel failover-timeout $CLUSTER_REDIS_SERVICE 10000
sentinel parallel-syncs $CLUSTER_REDIS_SERVICE 1
CONF
  start_on_host redis "sentinel$n" redis-sentinel "$dir/sentinel.conf"
  wait_for_port redis "$REDIS_ADDR" "$port" 30 || setup_failed "sentinel $n did not start"
  n=$((n + 1))
done

# --- s3: s3rver with the media bucket ---
mkdir -p "$CLUSTER_STATE/data/s3"
start_on_host s3 s3rver node "$S3RVER" -d "$CLUSTER_STATE/data/s3" -a "${CLUSTER_ADDR[s3]}" -p "$CLUSTER_S3_PORT" \
  --silent --configure-bucket videogen-media
wait_for_port s3 "${CLUSTER_ADDR[s3]}" "$CLUSTER_S3_PORT" 60 || setup_failed "s3rver did not start"

# --- fakefal: the fal double, many slots, webhooks to the load balancer (the URL each submit names) ---
start_on_host fakefal fakefal env DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$FAKEFAL_DLL" --urls "http://${CLUSTER_ADDR[fakefal]}:$CLUSTER_FAKEFAL_PORT" \
  --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information \
  --FakeFal:Queue:Slots=200 --FakeFal:Queue:QueueDelay=00:00:00.500 --FakeFal:Queue:InProgress=00:00:02 \
  --FakeFal:Media:Directory="$CLUSTER_STATE/data/fakefal-media"
wait_for_log fakefal "Now listening on" 90 || setup_failed "FakeFal did not start"
for host in api1 api2 worker1 worker2 worker3; do
  start_relay "$host" "$CLUSTER_FAKEFAL_PORT" "${CLUSTER_ADDR[fakefal]}:$CLUSTER_FAKEFAL_PORT" || setup_failed "relay to FakeFal on $host"
done
start_relay fakefal "$CLUSTER_PUBLIC_PORT" "${CLUSTER_ADDR[lb]}:80" || setup_failed "relay to the load balancer on fakefal"

# --- api1, api2 (api1 first: it migrates the fresh database), then the workers ---
mapfile -t migrate_args < <(videogen_common_args api1)
on_host api1 env DOTNET_ENVIRONMENT=Production dotnet "$CLUSTER_VIDEOGEN_DLL" migrate "${migrate_args[@]}" \
  >"$CLUSTER_STATE/logs/migrate.log" 2>&1 || setup_failed "videogen migrate (see logs/migrate.log)"
for host in api1 api2; do start_api "$host"; done
for host in api1 api2; do wait_for_log "$host" "VideoGen ready at" 120 || setup_failed "$host did not become ready"; done
for host in worker1 worker2 worker3; do start_worker "$host"; done
for host in worker1 worker2 worker3; do wait_for_log "$host" "VideoGen worker ready" 120 || setup_failed "$host did not become ready"; done

# --- lb: HAProxy in front of api1 and api2, health checks on /health/ready ---
cat >"$CLUSTER_STATE/data/haproxy.cfg" <<CONF
global
  maxconn 4096
  log stdout format raw local0 info
defaults
  mode http
  log global
  option httplog
  option forwardfor
  option redispatch
  retries 3
  timeout connect 2s
  timeout client 10m
  timeout server 10m
  timeout check 3s
frontend web
  bind ${CLUSTER_ADDR[lb]}:80
  default_backend api
backend api
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host 127.0.0.1
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
  http-response set-header X-Served-By %[srv_name]
  server api1 ${CLUSTER_ADDR[api1]}:$CLUSTER_API_PORT check
  server api2 ${CLUSTER_ADDR[api2]}:$CLUSTER_API_PORT check
CONF
start_on_host lb haproxy haproxy -W -db -f "$CLUSTER_STATE/data/haproxy.cfg"
wait_for_port lb "${CLUSTER_ADDR[lb]}" 80 30 || setup_failed "HAProxy did not start"
echo "cluster: all hosts up" >&2

# --- the run: the driver in the client namespace; faults through scripts/cluster/fault.sh ---
# In the background and waited for, so a SIGINT/SIGTERM to the script runs the teardown at once.
set +e
on_host client env DOTNET_ENVIRONMENT=Production dotnet "$DRIVER_DLL" \
  --videos "$videos" \
  --lb "http://${CLUSTER_ADDR[lb]}" \
  --api "http://${CLUSTER_ADDR[api1]}:$CLUSTER_API_PORT" --api "http://${CLUSTER_ADDR[api2]}:$CLUSTER_API_PORT" \
  --fakefal "http://${CLUSTER_ADDR[fakefal]}:$CLUSTER_FAKEFAL_PORT" \
  --sentinel "${CLUSTER_ADDR[redis]}:${CLUSTER_SENTINEL_PORTS[0]}" --redis-service "$CLUSTER_REDIS_SERVICE" \
  --object-store "${CLUSTER_ADDR[s3]}:$CLUSTER_S3_PORT" \
  --fault-command "$ROOT/scripts/cluster/fault.sh" --state "$CLUSTER_STATE" --logs "$CLUSTER_STATE/logs" \
  --ledger "$CLUSTER_STATE/logs/ledger.json" &
driver=$!
wait "$driver"
status=$?
set -e
exit "$status"
