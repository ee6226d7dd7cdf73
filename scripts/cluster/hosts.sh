# The simulated hosts of scripts/cluster.sh: names, addresses, and how each one's processes start.
# Sourced (by scripts/cluster.sh and scripts/cluster/fault.sh), not run. Needs CLUSTER_STATE (the
# run's folder) and, for starting hosts, the variables written to "$CLUSTER_STATE/env".

# Hosts and their addresses on the cluster's own bridge (10.77.0.0/24 exists only inside the
# namespaces of this run; the bridge lives in a namespace of its own, so runs never collide).
declare -A CLUSTER_ADDR=(
  [db]=10.77.0.2 [redis]=10.77.0.3 [s3]=10.77.0.4 [fakefal]=10.77.0.5
  [lb]=10.77.0.10 [api1]=10.77.0.11 [api2]=10.77.0.12
  [worker1]=10.77.0.21 [worker2]=10.77.0.22 [worker3]=10.77.0.23
  [client]=10.77.0.100
)
CLUSTER_HOSTS=(db redis s3 fakefal lb api1 api2 worker1 worker2 worker3 client)
CLUSTER_API_PORT=5080
CLUSTER_FAKEFAL_PORT=5005
CLUSTER_S3_PORT=4568
CLUSTER_PG_PORT=5432
# The public address (VideoGen:PublicBaseUrl) must be https or loopback; the cluster has no TLS,
# so it is http://127.0.0.1:8080, which on the fakefal host (the only caller of public URLs:
# webhooks) is a relay to the load balancer. Clients on the client host use the LB's address.
CLUSTER_PUBLIC_PORT=8080
CLUSTER_REDIS_SERVICE=videogen
CLUSTER_REDIS_PORTS=(6379 6380)          # primary, replica (both on the redis host)
CLUSTER_SENTINEL_PORTS=(26379 26380 26381)

cluster_ns() { echo "vgc-${CLUSTER_RUN}-$1"; }
cluster_bridge_ns() { echo "vgc-${CLUSTER_RUN}-net"; }

# Runs a command on a host (in its network namespace).
on_host() { local host=$1; shift; ip netns exec "$(cluster_ns "$host")" "$@"; }

# Starts a long-running process on a host, in the background, output to "$CLUSTER_STATE/logs/<name>.log";
# records "<name> <pid>" in "$CLUSTER_STATE/pids" (ip netns exec replaces itself with the command).
start_on_host() {
  local host=$1 name=$2; shift 2
  ip netns exec "$(cluster_ns "$host")" "$@" >>"$CLUSTER_STATE/logs/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$CLUSTER_STATE/pids"
  disown "$!"
}

# The pid recorded last for a process name.
pid_of() { awk -v n="$1" '$1 == n { p = $2 } END { print p }' "$CLUSTER_STATE/pids"; }

# Waits until a TCP port answers from inside a host, at most $4 seconds (default 60).
wait_for_port() {
  local host=$1 addr=$2 port=$3 limit=${4:-60} i
  for ((i = 0; i < limit * 5; i++)); do
    on_host "$host" bash -c "exec 3<>/dev/tcp/$addr/$port" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "cluster: $host did not answer on $addr:$port within ${limit} s" >&2
  return 1
}

# Waits until a log file has a line matching a pattern, at most $3 seconds.
wait_for_log() {
  local name=$1 pattern=$2 limit=${3:-120} i
  for ((i = 0; i < limit * 5; i++)); do
    grep -qE "$pattern" "$CLUSTER_STATE/logs/$name.log" 2>/dev/null && return 0
    if [ -n "$(pid_of "$name")" ] && ! kill -0 "$(pid_of "$name")" 2>/dev/null; then
      echo "cluster: $name exited before printing /$pattern/; its log:" >&2
      tail -n 40 "$CLUSTER_STATE/logs/$name.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "cluster: $name printed no /$pattern/ within ${limit} s; its log:" >&2
  tail -n 40 "$CLUSTER_STATE/logs/$name.log" >&2
  return 1
}

# Settings every videogen process of the cluster shares (API and workers).
videogen_common_args() {
  local sentinels="" p
  for p in "${CLUSTER_SENTINEL_PORTS[@]}"; do sentinels+="${CLUSTER_ADDR[redis]}:$p,"; done
  printf '%s\n' \
    "--VideoGen:DataDir=$CLUSTER_STATE/data/$1" \
    "--VideoGen:PublicBaseUrl=http://127.0.0.1:$CLUSTER_PUBLIC_PORT" \
    "--VideoGen:Webhooks:Secret=$CLUSTER_WEBHOOK_SECRET" \
    "--VideoGen:Queue:Backend=redis" \
    "--ConnectionStrings:Redis=${sentinels}serviceName=$CLUSTER_REDIS_SERVICE" \
    "--VideoGen:Queue:ReconcileInterval=00:00:05" \
    "--VideoGen:Database:Provider=postgres" \
    "--ConnectionStrings:Postgres=Host=${CLUSTER_ADDR[db]};Port=$CLUSTER_PG_PORT;Username=videogen;Password=$CLUSTER_PG_PASSWORD;Database=videogen;Timeout=5;Command Timeout=15" \
    "--VideoGen:Media:Store=s3" \
    "--VideoGen:Media:S3:Endpoint=http://${CLUSTER_ADDR[s3]}:$CLUSTER_S3_PORT/" \
    "--VideoGen:Media:S3:Bucket=videogen-media" \
    "--VideoGen:Media:S3:ForcePathStyle=true" \
    "--VideoGen:Media:S3:Serve=redirect" \
    "--VideoGen:Providers:Fal:Key=fakefal-cluster-key:not-a-secret" \
    "--VideoGen:Providers:Fal:BaseUrl=http://127.0.0.1:$CLUSTER_FAKEFAL_PORT" \
    "--VideoGen:Providers:Fal:JwksUrl=http://127.0.0.1:$CLUSTER_FAKEFAL_PORT/.well-known/jwks.json" \
    "--VideoGen:Providers:Fal:AllowLoopback=true" \
    "--VideoGen:Providers:Fal:ExpectedWebhookUserId=fakefal-user" \
    "--VideoGen:Ingest:AllowLoopbackHttp=true" \
    "--VideoGen:Pipeline:PollInterval=00:00:00.500" \
    "--VideoGen:Pipeline:MaxPollInterval=00:00:02" \
    "--VideoGen:Workers:LeaseDuration=00:00:10" \
    "--VideoGen:Workers:HeartbeatInterval=00:00:02" \
    "--VideoGen:Workers:RecoveryInterval=00:00:02" \
    "--Logging:LogLevel:Default=Warning" \
    "--Logging:LogLevel:VideoGen=Information"
}

# A TCP relay on a host's own 127.0.0.1:port to another host's address: the traffic still crosses
# the bridge (and stops when a link is cut). fal must be https or loopback (the product refuses
# anything else), so each API and worker host reaches FakeFal through one; FakeFal reaches the
# public address (the load balancer) through another.
start_relay() {
  local host=$1 port=$2 target=$3
  start_on_host "$host" "$host-relay-$port" socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "TCP:$target,connect-timeout=5"
  wait_for_port "$host" 127.0.0.1 "$port" 20
}

start_api() {
  local host=$1 args
  mkdir -p "$CLUSTER_STATE/data/$host"
  mapfile -t args < <(videogen_common_args "$host")
  start_on_host "$host" "$host" env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
    DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$CLUSTER_VIDEOGEN_DLL" serve --urls "http://${CLUSTER_ADDR[$host]}:$CLUSTER_API_PORT" "${args[@]}" \
    "--VideoGen:Workers:Enabled=false" \
    "--VideoGen:Accounts:AllowSingleUserBeyondLoopback=true" \
    "--VideoGen:Security:AllowedHosts:0=${CLUSTER_ADDR[api1]}" \
    "--VideoGen:Security:AllowedHosts:1=${CLUSTER_ADDR[api2]}" \
    "--VideoGen:Security:AllowedHosts:2=${CLUSTER_ADDR[lb]}" \
    "--VideoGen:ForwardedHeaders:KnownProxies:0=${CLUSTER_ADDR[lb]}"
}

start_worker() {
  local host=$1 args
  mkdir -p "$CLUSTER_STATE/data/$host"
  mapfile -t args < <(videogen_common_args "$host")
  start_on_host "$host" "$host" env AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
    DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$CLUSTER_VIDEOGEN_DLL" worker "${args[@]}" \
    "--VideoGen:Workers:WorkerId=$host" \
    "--VideoGen:Workers:Concurrency=$CLUSTER_WORKER_CONCURRENCY"
}

# SIGKILLs every process in a host's namespace (what a host dying does to them).
kill_host() {
  local ns pids
  ns=$(cluster_ns "$1")
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
}
