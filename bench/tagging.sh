#!/bin/sh
# bench/tagging.sh -- what tagged PDF costs (issue 17): the same batch of
# reviews rendered by the program built as usual and built with
# -DCD_UNTAGGED (no structure tree, marked content or artifacts), measured
# three ways. Run from the top of the tree:
#   sh bench/tagging.sh
#  1. instructions counted with callgrind (steady on a shared machine) for a
#     month of a 150-case caseload. Under valgrind the processor offers no
#     SHA extensions, so SHA-256 (the audit hash of every PDF) runs its
#     portable C, about ten times the instructions it takes natively; the
#     figure is also given without SHA-256;
#  2. CPU time natively (perf stat's task-clock where perf works, else GNU
#     time's user + system) for a month of a 600-case caseload:
#     TAGGING_RUNS (21) pairs of runs, one of each build, the order
#     alternating. Each pair gives a ratio; the median ratio is the figure,
#     with the middle half of the ratios beside it. Pairing cancels the slow
#     drift of a shared machine that a median of each build alone does not,
#     but not the second-to-second changes of other tenants' load: on a
#     shared 2-core machine the middle half of the ratios can span 30 points.
#     TAGGING_RUNS=0 skips it;
#  3. CPU time in one process (bench/tagging_ab.c, `make tagging-ab`, a
#     library built with -DCD_TAGGING_SWITCH so that tagging is switched at
#     run time) for the same 600-case month: each review rendered tagged and
#     untagged back to back, milliseconds apart, the order alternating, each
#     timed by the thread's CPU clock, over TAGGING_AB_PASSES (3) passes; the
#     median of the per-review ratios with their middle half, the ratio of
#     the totals, and each pass's median. Renders go through publish groups
#     of 64 as in the batch; the group flushes are timed apart.
# Prints per document figures for each build, the output sizes, and the
# differences. Needs valgrind and GNU time (perf if present).
set -eu
make -s BENCH=1 build-bench/courtdocs
make -s BENCH=1 BUILD=build-untagged CFLAGS=-DCD_UNTAGGED build-untagged/courtdocs
make -s tagging-ab
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
  sha=0
  for f in "$W"/cg.$b.*; do
    s=$(callgrind_annotate --inclusive=yes --threshold=100 "$f" 2>/dev/null | awk '$NF ~ /:cd_sha256$/ || $0 ~ /:cd_sha256 \[/ { gsub(",", "", $1); print $1; exit }')
    sha=$((sha + ${s:-0}))
  done
  echo "   $b: $n documents, $((ir / n)) instructions per document ($((sha / n)) of them SHA-256), $((bytes / n)) bytes per document"
  echo "$((ir / n))" > "$W/ir.$b"
  echo "$(((ir - sha) / n))" > "$W/irx.$b"
done
awk -v u="$(cat "$W/ir.untagged")" -v t="$(cat "$W/ir.bench")" -v ux="$(cat "$W/irx.untagged")" -v tx="$(cat "$W/irx.bench")" \
  'BEGIN { printf "   tagging costs %.1f%% more instructions (%.1f%% without SHA-256)\n", (t - u) * 100 / u, (tx - ux) * 100 / ux }'

build-bench/courtdocs demo --records-only "$W/r6.xml" --cases 600 --seed 1 >/dev/null
build-bench/courtdocs import --create -q --db "$W/s6.db" "$W/r6.xml" >/dev/null
RUNS=${TAGGING_RUNS:-21}
if [ "$RUNS" -gt 0 ]; then
  if command -v perf >/dev/null 2>&1 && perf stat -x, -e task-clock -o "$W/probe" true 2>/dev/null; then
    how="perf stat -e task-clock"
    measure() { _o=$1; shift; perf stat -x, -e task-clock -o "$_o" "$@" >/dev/null 2>&1; grep task-clock "$_o" | cut -d, -f1 > "$_o.ms"; }
  else
    how="GNU time, user + system"
    measure() { _o=$1; shift; /usr/bin/time -f "%U %S" -o "$_o" "$@" >/dev/null 2>&1; awk '{ print ($1 + $2) * 1000 }' "$_o" > "$_o.ms"; }
  fi
  echo "2. CPU time ($how), batch --month 2026-11 -j 1, 600 cases, $RUNS pairs of runs (one of each build, order alternating):"
  i=0
  while [ $i -lt "$RUNS" ]; do
    i=$((i + 1))
    if [ $((i % 2)) = 1 ]; then order="untagged bench"; else order="bench untagged"; fi
    for b in $order; do
      rm -rf "$W/o6-$b"
      measure "$W/t.$b.$i" "build-$b/courtdocs" batch --db "$W/s6.db" --month 2026-11 --out "$W/o6-$b" -j 1
    done
    echo "$(cat "$W/t.untagged.$i.ms") $(cat "$W/t.bench.$i.ms")" >> "$W/pairs"
  done
  n=$(ls "$W/o6-bench"/*.pdf | wc -l)
  for b in untagged bench; do
    cat "$W"/t.$b.*.ms | sort -n | awk -v n="$n" -v b="$b" '
      { a[NR] = $1 }
      END { printf "   %s: %d documents, %.2f ms CPU per document (median; least %.2f)\n", b, n, a[int((NR + 1) / 2)] / n, a[1] / n }'
  done
  awk '{ print ($2 - $1) * 100 / $1 }' "$W/pairs" | sort -n | awk '
    { r[NR] = $1 }
    END { printf "   tagging costs %.1f%% more CPU time (median of %d pairs; middle half %.1f%% to %.1f%%)\n",
                 r[int((NR + 1) / 2)], NR, r[int(NR / 4) + 1], r[int(3 * NR / 4)] }'
fi

PASSES=${TAGGING_AB_PASSES:-3}
echo "3. CPU time in one process (build-ab/tagging_ab), every review of --month 2026-11, 600 cases, tagged and untagged back to back, $PASSES passes:"
build-ab/tagging_ab --db "$W/s6.db" --month 2026-11 --out "$W/ab" -n "$PASSES" | sed 's/^/   /'
