#!/usr/bin/env bash
# Plain spark-submit to Kubernetes (cluster mode), without the operator: the driver runs in a pod of the image from
# deploy/Dockerfile and mounts the volume of deploy/k8s/storage.yaml at /data (settings: conf/spark/k8s.properties).
#   K8S_API=https://my-cluster:6443 deploy/k8s/submit.sh sweep /opt/trainyard/jobs/quickstart.conf \
#     --set 'data.path="/data/quickstart"' --out /data/runs/quickstart
# Needs a Spark 3.5.7 installation with Kubernetes support ($SPARK_HOME); paths in the arguments are the pods'.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
: "${K8S_API:?set K8S_API to the Kubernetes API server, e.g. https://my-cluster:6443}"
: "${SPARK_HOME:?set SPARK_HOME to a Spark 3.5.7 installation}"
exec "$SPARK_HOME/bin/spark-submit" --master "k8s://$K8S_API" --deploy-mode cluster --name trainyard \
  --properties-file "$ROOT/conf/spark/k8s.properties" \
  --class io.trainyard.cli.Main local:///opt/trainyard/trainyard-all.jar "$@"
