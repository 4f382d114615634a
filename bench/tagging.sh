#!/bin/sh
# bench/tagging.sh -- what tagged PDF costs (issue 17): the same batch of
# reviews rendered by the program built as usual and built with
# -DCD_UNTAGGED (no structure tree, marked content or artifacts), measured
# two ways. Run from the top of the tree:
#   sh bench/tagging.sh
#  1. instructions counted with callgrind (steady on a shared machine) for a
#     month of a 150-case caseload. Under valgrind the processor offers no
#     SHA extensions, so SHA-256 runs its portable C here;
#  2. CPU time natively (perf stat's task-clock where perf works, else GNU
#     time's user + system), TAGGING_RUNS (15) runs of each build,
#     alternating, for a month of a 600-case caseload: the median and the
#     least. On a shared machine both move by 10-20% between runs.
# Prints per document figures for each build, the output sizes, and the
# differences. Needs valgrind and GNU time (perf if present).
set -eu
make -s BENCH=1 build-bench/courtdocs
make -s BENCH=1 BUILD=build-untagged CFLAGS=-DCD_UNTAGGED build-untagged/courtdocs
W=$(mktemp -d /tmp/courtdocs-tagging.XXXXXX)
trap 'rm -rf "$W"' EXIT
export CD_TODAY=2026-11-02
build-bench/courtdocs demo --records-only "$W/r.xml" --cases 150 --seed 1 >/dev/null
build-bench/courtdocs import --create -q --db "$W/s.db" "$W/r.xml"
echo "1. instructions (callgrind), batch --month 2026-11 -j 1, 150 cases:"
for b in untagged bench; do
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$W/cg.$b.%p" \
    "build-$b/courtdocs" batch --db "$W/s.db" --month 2026-11 --out "$W/out-$b" -j 1 >/dev/null 2>"$W/vg.$b"
  n=$(ls "$W/out-$b"/*.pdf | wc -l)
  ir=$(grep -h 'Collected' "$W/vg.$b" | sed 's/.*Collected : //' | awk '{s += $1} END {print s}')
  bytes=$(cat "$W/out-$b"/*.pdf | wc -c)
  echo "   $b: $n documents, $((ir / n)) instructions per document, $((bytes / n)) bytes per document"
  echo "$((ir / n))" > "$W/ir.$b"
done
awk -v u="$(cat "$W/ir.untagged")" -v t="$(cat "$W/ir.bench")" \
  'BEGIN { printf "   tagging costs %.1f%% more instructions\n", (t - u) * 100 / u }'

build-bench/courtdocs demo --records-only "$W/r6.xml" --cases 600 --seed 1 >/dev/null
build-bench/courtdocs import --create -q --db "$W/s6.db" "$W/r6.xml" >/dev/null
RUNS=${TAGGING_RUNS:-15}
if command -v perf >/dev/null 2>&1 && perf stat -x, -e task-clock -o "$W/probe" true 2>/dev/null; then
  how="perf stat -e task-clock"
  measure() { _o=$1; shift; perf stat -x, -e task-clock -o "$_o" "$@" >/dev/null 2>&1; grep task-clock "$_o" | cut -d, -f1 > "$_o.ms"; }
else
  how="GNU time, user + system"
  measure() { _o=$1; shift; /usr/bin/time -f "%U %S" -o "$_o" "$@" >/dev/null 2>&1; awk '{ print ($1 + $2) * 1000 }' "$_o" > "$_o.ms"; }
fi
echo "2. CPU time ($how), batch --month 2026-11 -j 1, 600 cases, $RUNS runs of each build, alternating:"
i=0
while [ $i -lt "$RUNS" ]; do
  i=$((i + 1))
  for b in untagged bench; do
    rm -rf "$W/o6-$b"
    measure "$W/t.$b.$i" "build-$b/courtdocs" batch --db "$W/s6.db" --month 2026-11 --out "$W/o6-$b" -j 1
  done
done
for b in untagged bench; do
  n=$(ls "$W/o6-$b"/*.pdf | wc -l)
  cat "$W"/t.$b.*.ms | sort -n | awk -v n="$n" -v b="$b" -v out="$W/cpu.$b" '
    { a[NR] = $1 }
    END { med = a[int((NR + 1) / 2)]; printf "   %s: %d documents, %.2f ms CPU per document (median; least %.2f)\n", b, n, med / n, a[1] / n;
          print med > out; print a[1] > (out ".min") }'
done
awk -v u="$(cat "$W/cpu.untagged")" -v t="$(cat "$W/cpu.bench")" -v um="$(cat "$W/cpu.untagged.min")" -v tm="$(cat "$W/cpu.bench.min")" \
  'BEGIN { printf "   tagging costs %.1f%% more CPU time (medians; %.1f%% between the least)\n", (t - u) * 100 / u, (tm - um) * 100 / um }'
