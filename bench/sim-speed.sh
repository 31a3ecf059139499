#!/usr/bin/env bash
# The simulator's speed figure, measured the way docs/simulation.md (Speed) states it: the
# command a user runs, 10 000 peers for one virtual hour, all four policies, repeated.
#
#   bench/sim-speed.sh [RUNS] [PEERS] [HOURS]      (defaults: 5 runs, 10 000 peers, 1 hour)
#
# One run's wall time on a shared machine moves by 20-60 % with what else the host is doing,
# so one run proves little either way: this prints every run (wall, user CPU, peak memory, the
# load average before it, each policy's own wall/CPU) and then the median, the range and how
# many runs finished under the issue's 60 s. Runs are sequential, never two at once.
# Output also goes to bench/target/sim-speed.tsv (one row per run).
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
peers="${2:-10000}"
hours="${3:-1}"
target_seconds=60
case "$runs" in ''|*[!0-9]*) echo "sim-speed: RUNS must be a positive integer, was '$runs'" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] || { echo "sim-speed: RUNS must be at least 1" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  echo "sim-speed: needs /usr/bin/time (Debian/Ubuntu: apt-get install time)" >&2
  exit 2
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
mkdir -p bench/target
tsv=bench/target/sim-speed.tsv
printf 'utc\twall_s\tuser_s\tmax_rss_kb\tload1_before\tper_policy\treport_md5\n' > "$tsv"

# Builds first if needed, so the build never lands inside a measured run.
if ! ./netbelief simulate --peers 10 --hours 0.01 --out "$out/warm" --force > /dev/null 2> "$out/warm.err"; then
  cat "$out/warm.err" >&2
  echo "sim-speed: the warm-up run failed" >&2
  exit 1
fi

echo "sim-speed: $runs run(s) of: ./netbelief simulate --peers $peers --hours $hours --out DIR --force"
echo "sim-speed: $(nproc) cores, $(java -version 2>&1 | head -1)"
for i in $(seq "$runs"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f '%e %U %M' -o "$out/time" \
    ./netbelief simulate --peers "$peers" --hours "$hours" --out "$out/run" --force \
    > "$out/stdout" 2> "$out/stderr"
  read -r wall user rss < "$out/time"
  per="$(grep 'ran in' "$out/stderr" | sed 's/simulate: //; s/ *ran in /=/; s/ wall, /\//; s/ s CPU//; s/ s$//' \
    | tr -s ' ' | tr '\n' ' ' | sed 's/ $//')"
  md5="$(md5sum "$out/run/report.json" | cut -c1-12)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$wall" "$user" "$rss" "$load" "$per" "$md5" >> "$tsv"
  printf 'run %d: %6.1f s wall, %6.1f s user, %4d MB peak, load %s before | %s | report %s\n' \
    "$i" "$wall" "$user" "$((rss / 1024))" "$load" "$per" "$md5"
done

tail -n +2 "$tsv" | cut -f2 | sort -n | awk -v target="$target_seconds" '
  { w[NR] = $1; if ($1 < target) under++ }
  END {
    med = NR % 2 ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
    printf "sim-speed: median %.1f s, range %.1f-%.1f s, %d of %d under %d s\n", med, w[1], w[NR], under, NR, target
  }'
# Every run of one seed must give the same report: a difference is a determinism bug.
if [ "$(tail -n +2 "$tsv" | cut -f7 | sort -u | wc -l)" -ne 1 ]; then
  echo "sim-speed: the runs' report.json differ: determinism broken" >&2
  exit 1
fi
