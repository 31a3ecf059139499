#!/usr/bin/env bash
# Full JMH run: the numbers for docs/benchmarks.md.
#
#   bench/run-full.sh [REGEX]
#
# Two forks, 3 warm-up and 5 measurement iterations (2 s each by default; override with
# NETBELIEF_BENCH_ITER, e.g. 10s), -prof gc for allocation per operation, once with 1 thread and
# once with 2. Fixed 1 GiB pre-touched heap: first touch of heap pages is slow on these machines.
# Writes bench/target/jmh-full-t1.json and jmh-full-t2.json, with the console logs next to them
# (.txt). Needs bench/target/benchmarks.jar (./mvnw -B -ntp verify, or
# ./mvnw -B -ntp -pl bench -am package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/benchmarks.jar
REGEX="${1:-.*}"
ITER="${NETBELIEF_BENCH_ITER:-2s}"
JVM_ARGS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages --add-opens=java.base/sun.security.provider=ALL-UNNAMED"

if [ ! -f "$JAR" ]; then
  echo "run-full: $JAR is missing; build it first with ./mvnw -B -ntp verify" >&2
  exit 1
fi

echo "run-full: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/ \+/ /g'), $(java -version 2>&1 | head -1)"
for threads in 1 2; do
  out="target/jmh-full-t${threads}"
  echo "run-full: threads=$threads start $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar "$JAR" "$REGEX" \
    -f 2 -wi 3 -w "$ITER" -i 5 -r "$ITER" -t "$threads" \
    -prof gc -foe true -jvmArgs "$JVM_ARGS" \
    -rf json -rff "$out.json" | tee "$out.txt"
  if [ ! -s "$out.json" ]; then
    echo "run-full: $out.json is missing or empty" >&2
    exit 1
  fi
  echo "run-full: threads=$threads end $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "run-full: results in bench/target/jmh-full-t1.json and bench/target/jmh-full-t2.json"
