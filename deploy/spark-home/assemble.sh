#!/usr/bin/env bash
# Prints the Spark home the deploy/ scripts use: $SPARK_HOME when it is a Spark installation (it has
# bin/spark-submit), else target/spark-home, assembled from the jars Maven resolves for deploy/spark-home/pom.xml
# (once; again when that pom changes): jars/ links into the local Maven repository, bin/ is this folder's,
# conf/log4j2.properties is Trainyard's console logging (drivers and executors).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  echo "$SPARK_HOME"
  exit 0
fi

home="$ROOT/target/spark-home"
if [ ! -f "$home/.assembled" ] || [ "$HERE/pom.xml" -nt "$home/.assembled" ]; then
  echo "spark-home: assembling $home from Maven's Spark $(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$HERE/pom.xml") jars" >&2
  mkdir -p "$ROOT/target"
  tmp="$(mktemp -d "$ROOT/target/.spark-home.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="$tmp/classpath.txt" >&2
  mkdir "$tmp/jars" "$tmp/conf"
  tr ':' '\n' < "$tmp/classpath.txt" | while IFS= read -r jar; do
    [ -n "$jar" ] || continue
    name="$(basename "$jar")"
    # Two artifacts with one file name (different groups) must both stay on the classpath.
    [ -e "$tmp/jars/$name" ] && name="$(basename "$(dirname "$(dirname "$jar")")")-$name"
    ln -s "$jar" "$tmp/jars/$name"
  done
  ln -s "$HERE/bin" "$tmp/bin"
  ln -s "$ROOT/conf/log4j2.properties" "$tmp/conf/log4j2.properties"
  touch "$tmp/.assembled"
  rm -rf "$home"
  mv "$tmp" "$home"
  trap - EXIT
fi
echo "$home"
