#!/bin/sh
# bench/tagging.sh -- what tagged PDF costs (issue 17): the same batch of
# reviews rendered by the program built as usual and built with
# -DCD_UNTAGGED (no structure tree, marked content or artifacts), measured
# two ways. Run from the top of the tree:
#   sh bench/tagging.sh
#  1. instructions counted with callgrind (steady on a shared machine) for a
#     month of a 150-case caseload. Under valgrind the processor offers no
#     SHA extensions, so SHA-256 runs its portable C here;
#  2. CPU seconds (user + system, the least of 5 runs of each build,
#     alternating) for a month of a 600-case caseload, natively.
# Prints per document figures for each build, the output sizes, and the
# differences. Needs valgrind and GNU time.
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
echo "2. CPU seconds (user + system, least of 5), batch --month 2026-11 -j 1, 600 cases:"
for i in 1 2 3 4 5; do
  for b in untagged bench; do
    rm -rf "$W/o6-$b"
    /usr/bin/time -f "%U %S %e" -o "$W/t.$b.$i" \
      "build-$b/courtdocs" batch --db "$W/s6.db" --month 2026-11 --out "$W/o6-$b" -j 1 >/dev/null 2>&1
  done
done
for b in untagged bench; do
  n=$(ls "$W/o6-$b"/*.pdf | wc -l)
  cat "$W"/t.$b.* | awk -v n="$n" -v b="$b" '
    { c = $1 + $2; if (NR == 1 || c < best) best = c; if (NR == 1 || $3 < wall) wall = $3 }
    END { printf "   %s: %d documents, %.2f ms CPU per document, %.2f ms wall per document (least)\n", b, n, best * 1000 / n, wall * 1000 / n;
          print best > "'"$W"'/cpu." b }'
done
awk -v u="$(cat "$W/cpu.untagged")" -v t="$(cat "$W/cpu.bench")" \
  'BEGIN { printf "   tagging costs %.1f%% more CPU time\n", (t - u) * 100 / u }'
