#!/usr/bin/env bash
# Submits a Trainyard command with spark-submit (org.apache.spark.deploy.SparkSubmit, client mode): the shaded jar,
# the master given, and the properties file of conf/spark/ for that kind of master.
#
#   deploy/submit.sh --master URL [--properties-file FILE] [spark-submit options...] COMMAND [ARGS...]
#   deploy/submit.sh --master spark://127.0.0.1:7077 quickstart
#   deploy/submit.sh --master local[2] train jobs/cnn-shapes.conf --out runs/cnn
#
# The properties file defaults by master: local[...] -> conf/spark/local.properties, spark:// -> standalone,
# yarn -> yarn, k8s:// -> k8s. Other spark-submit options (--conf K=V, --driver-memory, ...) pass through; the first
# word that is not an option starts the Trainyard command. Uses $SPARK_HOME when it is a Spark installation,
# else the Spark home deploy/spark-home/assemble.sh builds from Maven's jars. Builds target/trainyard-all.jar when
# it is missing or older than the sources. The exit code is Trainyard's (see README, "Exit codes").
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
JAR="$ROOT/target/trainyard-all.jar"

master=""; properties=""; submit_opts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --master=*) master="${1#*=}"; shift ;;
    --properties-file) properties="$2"; shift 2 ;;
    --properties-file=*) properties="${1#*=}"; shift ;;
    --deploy-mode|--deploy-mode=*)
      echo "submit.sh: runs in client mode only; for cluster mode see deploy/yarn and deploy/k8s" >&2; exit 2 ;;
    --*=*) submit_opts+=("$1"); shift ;;
    --verbose|-v|--supervise) submit_opts+=("$1"); shift ;;
    --*) submit_opts+=("$1" "$2"); shift 2 ;;
    *) break ;;
  esac
done
if [ -z "$master" ] || [ $# -eq 0 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
if [ -z "$properties" ]; then
  case "$master" in
    local*) properties="$ROOT/conf/spark/local.properties" ;;
    spark://*) properties="$ROOT/conf/spark/standalone.properties" ;;
    yarn*) properties="$ROOT/conf/spark/yarn.properties" ;;
    k8s://*) properties="$ROOT/conf/spark/k8s.properties" ;;
    *) echo "submit.sh: no properties file for master '$master': pass --properties-file" >&2; exit 2 ;;
  esac
fi

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT/src/main" "$ROOT/conf/defaults.conf" -newer "$JAR" -print -quit)" ]; then
  echo "submit.sh: building target/trainyard-all.jar (mvn package, tests skipped)..." >&2
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests -Dspotless.check.skip=true package) >&2
fi

# Executors of a master on this machine (deploy/standalone) read the jar from this disk (local:) instead of each
# fetching its 200 MB from the driver.
jar_uri="$JAR"
case "$master" in
  spark://127.0.0.1:*|spark://localhost:*) jar_uri="local:$JAR" ;;
esac

SPARK_HOME="$("$HERE/spark-home/assemble.sh")"
export SPARK_HOME
# The quickstart finds jobs/ and writes its sample data under this checkout.
export TRAINYARD_HOME="${TRAINYARD_HOME:-$ROOT}"
exec "$SPARK_HOME/bin/spark-submit" --master "$master" --deploy-mode client --properties-file "$properties" \
  ${submit_opts[@]+"${submit_opts[@]}"} --class io.trainyard.cli.Main "$jar_uri" "$@"
