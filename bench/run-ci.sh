#!/usr/bin/env bash
# JMH smoke run of every benchmark (or those matching a regex): proves they run and writes JSON.
#
#   bench/run-ci.sh [REGEX]
#
# Runs after `./mvnw verify` has built bench/target/benchmarks.jar; builds nothing itself.
# One fork, one warm-up and one measurement iteration per benchmark and parameter combination,
# with the iteration time scaled so the whole run fits a budget (default 150 s, override with
# NETBELIEF_BENCH_BUDGET_SECONDS): (budget - 4 s per combination) / (2 x combinations), between
# 100 ms and 1 s per iteration. Past ~35 combinations the fork overhead alone exceeds the budget on
# a busy machine; the script then warns and runs 100 ms iterations. Writes
# bench/target/jmh-ci.json. Fails if the jar is missing, any benchmark errors, or the JSON is
# missing or lacks a result for any benchmark that was listed.
set -euo pipefail
cd "$(dirname "$0")"

JAR=target/benchmarks.jar
OUT=target/jmh-ci.json
REGEX="${1:-.*}"
BUDGET="${NETBELIEF_BENCH_BUDGET_SECONDS:-150}"
# Seconds a combination costs besides its iterations: JVM fork, setup, JMH's own work. Measured
# here under a load average of 15: 30 combinations with 500 ms iterations took 122 s, about 3 s
# each beyond the iterations; 4 leaves some room.
OVERHEAD="${NETBELIEF_BENCH_OVERHEAD_SECONDS:-4}"
# A fixed heap but no -XX:+AlwaysPreTouch: smoke figures are not measurements, and pre-touching
# 1 GiB costs 3.1 s per fork here under load (java -version: 3.08 s with it, 0.21 s without),
# which alone would eat the budget at 40 combinations. run-full.sh keeps it.
JVM_ARGS="${NETBELIEF_BENCH_JVM_ARGS:--Xms1g -Xmx1g} --add-opens=java.base/sun.security.provider=ALL-UNNAMED"

if [ ! -f "$JAR" ]; then
  echo "run-ci: $JAR is missing; build it first with ./mvnw -B -ntp verify" >&2
  exit 1
fi

# Count benchmark x parameter combinations: one line per benchmark, then one line per @Param
# ('  param "keys" = {1, 1000, 1000000}').
RUNS=$(java -jar "$JAR" -lp "$REGEX" | awk '
  /^Benchmarks:/ { next }
  /^[^ ]/ { total += combos; combos = 1; next }
  /^ +param / { n = gsub(/,/, ","); combos *= (n + 1) }
  END { total += combos; print total + 0 }')
if [ "$RUNS" -eq 0 ]; then
  echo "run-ci: no benchmark matches '$REGEX'" >&2
  exit 1
fi

# Two timed iterations (1 warm-up + 1 measurement) per combination share what the budget leaves.
ITER_MS=$(( (BUDGET - RUNS * OVERHEAD) * 1000 / (2 * RUNS) ))
if [ "$ITER_MS" -gt 1000 ]; then ITER_MS=1000; fi
if [ "$ITER_MS" -lt 100 ]; then
  echo "run-ci: warning: $RUNS runs do not fit ${BUDGET}s; using 100 ms iterations" >&2
  ITER_MS=100
fi
echo "run-ci: $RUNS benchmark runs matching '$REGEX', ${ITER_MS} ms per iteration, budget ${BUDGET}s"

rm -f "$OUT"
start=$(date +%s)
java -jar "$JAR" "$REGEX" \
  -f 1 -wi 1 -w "${ITER_MS}ms" -i 1 -r "${ITER_MS}ms" -t 1 \
  -foe true -jvmArgs "$JVM_ARGS" \
  -rf json -rff "$OUT"
echo "run-ci: JMH took $(( $(date +%s) - start ))s"

if [ ! -s "$OUT" ]; then
  echo "run-ci: $OUT is missing or empty" >&2
  exit 1
fi
RESULTS=$(grep -c '"benchmark" *:' "$OUT" || true)
if [ "$RESULTS" -ne "$RUNS" ]; then
  echo "run-ci: $OUT holds $RESULTS results, expected $RUNS (a benchmark errored?)" >&2
  exit 1
fi
echo "run-ci: ok, $RESULTS results in bench/$OUT"
