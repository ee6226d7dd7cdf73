#!/usr/bin/env bash
# The faults of scripts/cluster.sh, called by the driver (tools/ClusterDriver) while the run goes on:
#
#   fault.sh STATE kill-host HOST        every process of HOST SIGKILLed (the host dies)
#   fault.sh STATE cut-link HOST         HOST's port on the bridge goes down (a partition)
#   fault.sh STATE restore-link HOST     ... and up again
#   fault.sh STATE kill-redis-primary    SIGKILL of the Redis primary process (sentinels promote the replica)
#   fault.sh STATE stop-api HOST         SIGKILL of HOST's videogen serve (its relay stays)
#   fault.sh STATE start-api HOST        videogen serve on HOST again; returns once it is ready
#
# STATE is the run's folder (its "env" file names the run). Prints one line saying what it did.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLUSTER_STATE=$1; action=$2; host=${3:-}
set -a; source "$CLUSTER_STATE/env"; set +a
source scripts/cluster/hosts.sh

case "$action" in
  kill-host)
    pids=$(ip netns pids "$(cluster_ns "$host")" | tr '\n' ' ')
    kill_host "$host"
    echo "killed every process of $host (pids $pids)" ;;
  cut-link)
    ip -n "$(cluster_bridge_ns)" link set "$host" down
    echo "cut $host's link" ;;
  restore-link)
    ip -n "$(cluster_bridge_ns)" link set "$host" up
    echo "restored $host's link" ;;
  kill-redis-primary)
    pid=$(pid_of redis-primary)
    kill -9 "$pid"
    echo "killed the Redis primary (pid $pid)" ;;
  stop-api)
    pid=$(pid_of "$host")
    kill -9 "$pid"
    echo "stopped $host (SIGKILL of pid $pid)" ;;
  start-api)
    mv "$CLUSTER_STATE/logs/$host.log" "$CLUSTER_STATE/logs/$host.before-stop.log"
    start_api "$host"
    wait_for_log "$host" "VideoGen ready at" 120
    echo "started $host again (pid $(pid_of "$host"))" ;;
  *) echo "fault.sh: unknown action '$action'" >&2; exit 2 ;;
esac
