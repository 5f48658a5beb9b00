#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1: one master and N workers, each a JVM of its own, from the Spark home
# deploy/spark-home/assemble.sh provides. Every daemon runs in a process group of its own, so `stop` also ends the
# executor JVMs its workers started, whatever state they are in.
#
#   deploy/standalone/cluster.sh start  [--dir DIR] [--workers N] [--cores C] [--memory M] [--port P] [--ui-port P]
#   deploy/standalone/cluster.sh stop   [--dir DIR]
#   deploy/standalone/cluster.sh status [--dir DIR]
#
# Defaults: --dir target/standalone (logs/, pids/, work/ and master-url under it), 2 workers of 1 core and 4g each,
# master on port 7077 with its web UI on 8080. `start` waits until every worker has registered and prints the
# master URL; it fails (stopping what it started) when a daemon dies or does not come up within a minute.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

action="${1:-}"
[ $# -gt 0 ] && shift
dir="$ROOT/target/standalone"; workers=2; cores=1; memory=4g; port=7077; ui_port=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --ui-port) ui_port="$2"; shift 2 ;;
    *) echo "cluster.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Ends each daemon's process group (the daemon and the executors it launched): TERM, then KILL after 10 s.
stop_all() {
  local pidfile pid
  shopt -s nullglob
  for pidfile in "$dir"/pids/*.pid; do
    pid="$(cat "$pidfile")"
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pidfile in "$dir"/pids/*.pid; do
    pid="$(cat "$pidfile")"
    for _ in $(seq 100); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  shopt -u nullglob
}

# Runs a Spark daemon class in a new session (its own process group), output to logs/NAME.log, pid to pids/NAME.pid.
launch() {
  local name="$1"; shift
  setsid "$SPARK_HOME/bin/spark-class" "$@" > "$dir/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/pids/$name.pid"
}

# Waits until the log of a daemon shows `pattern` COUNT times; fails when the daemon dies or a minute passes.
await() {
  local name="$1" pattern="$2" count="$3"
  for _ in $(seq 600); do
    if [ "$(grep -c -- "$pattern" "$dir/logs/$name.log" 2>/dev/null || true)" -ge "$count" ]; then
      return 0
    fi
    if ! alive "$dir/pids/$name.pid"; then
      echo "cluster.sh: $name exited; the end of $dir/logs/$name.log:" >&2
      tail -n 20 "$dir/logs/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "cluster.sh: $name did not log '$pattern' within a minute ($dir/logs/$name.log)" >&2
  return 1
}

case "$action" in
  start)
    if alive "$dir/pids/master.pid"; then
      echo "cluster.sh: a cluster is already running from $dir (master $(cat "$dir/master-url"))" >&2
      exit 1
    fi
    SPARK_HOME="$("$ROOT/deploy/spark-home/assemble.sh")"
    export SPARK_HOME SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
    export SPARK_LOCAL_DIRS="$dir/local" SPARK_WORKER_DIR="$dir/work"
    export SPARK_DAEMON_JAVA_OPTS="-Dlog4j2.configurationFile=$HERE/log4j2-daemon.properties"
    rm -rf "$dir/logs" "$dir/pids"
    mkdir -p "$dir/logs" "$dir/pids" "$dir/local" "$dir/work"
    trap 'stop_all' ERR
    url="spark://127.0.0.1:$port"
    launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$ui_port"
    await master "I have been elected leader" 1
    for i in $(seq "$workers"); do
      launch "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" \
        --memory "$memory" --webui-port 0 --work-dir "$dir/work/worker-$i" "$url"
    done
    for i in $(seq "$workers"); do
      await "worker-$i" "Successfully registered with master" 1
    done
    trap - ERR
    echo "$url" > "$dir/master-url"
    echo "cluster.sh: master $url with $workers worker(s) of $cores core(s) and $memory; logs and pids under $dir"
    echo "$url"
    ;;
  stop)
    stop_all
    rm -f "$dir/master-url"
    echo "cluster.sh: stopped the cluster of $dir"
    ;;
  status)
    shopt -s nullglob
    running=0
    for pidfile in "$dir"/pids/*.pid; do
      name="$(basename "$pidfile" .pid)"
      if alive "$pidfile"; then echo "$name running (pid $(cat "$pidfile"))"; running=1; else echo "$name exited"; fi
    done
    [ "$running" = 1 ]
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
