#!/usr/bin/env bash
# spark-submit to YARN in cluster mode: the driver runs in a YARN container, so the job spec and the logging
# configuration travel with --files (the driver finds them in its working directory), and the run directory must be
# a path every node mounts (an NFS share, say): run directories are files the driver writes directly.
#   deploy/yarn/submit.sh jobs/quickstart.conf sweep --set 'data.path="hdfs:///data/quickstart"' \
#     --out /mnt/shared/runs/quickstart
# The first argument is the spec to ship; the rest is the Trainyard command, which receives the spec's file name.
# Needs a Spark 3.5.7 installation with YARN support ($SPARK_HOME) and HADOOP_CONF_DIR; settings: conf/spark/yarn.properties.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
: "${SPARK_HOME:?set SPARK_HOME to a Spark 3.5.7 installation}"
: "${HADOOP_CONF_DIR:?set HADOOP_CONF_DIR to the Hadoop configuration of the cluster}"
spec="$1"; command="$2"; shift 2
exec "$SPARK_HOME/bin/spark-submit" --master yarn --deploy-mode cluster --name "trainyard-$command" \
  --properties-file "$ROOT/conf/spark/yarn.properties" \
  --files "$spec,$ROOT/conf/log4j2.properties" \
  --class io.trainyard.cli.Main "$ROOT/target/trainyard-all.jar" "$command" "$(basename "$spec")" "$@"
