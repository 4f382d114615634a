#!/bin/sh
# bench/tagging.sh -- what tagged PDF costs (issue 17): the same batch of
# reviews rendered by the program built as usual and built with
# -DCD_UNTAGGED (no structure tree, marked content or artifacts), counted in
# instructions with callgrind (the machine is shared, so wall time is too
# noisy to show a few per cent). Run from the top of the tree:
#   sh bench/tagging.sh
# Prints instructions per document for each build, the output sizes, and the
# difference. Needs valgrind.
set -eu
make -s BENCH=1 build-bench/courtdocs
make -s BENCH=1 BUILD=build-untagged CFLAGS=-DCD_UNTAGGED build-untagged/courtdocs
W=$(mktemp -d /tmp/courtdocs-tagging.XXXXXX)
trap 'rm -rf "$W"' EXIT
export CD_TODAY=2026-11-02
build-bench/courtdocs demo --records-only "$W/r.xml" --cases 150 --seed 1 >/dev/null
build-bench/courtdocs import --create -q --db "$W/s.db" "$W/r.xml"
for b in untagged bench; do
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$W/cg.$b.%p" \
    "build-$b/courtdocs" batch --db "$W/s.db" --month 2026-11 --out "$W/out-$b" -j 1 >/dev/null 2>"$W/vg.$b"
  n=$(ls "$W/out-$b"/*.pdf | wc -l)
  ir=$(grep -h 'Collected' "$W/vg.$b" | sed 's/.*Collected : //' | awk '{s += $1} END {print s}')
  kb=$(du -sk "$W/out-$b" | cut -f1)
  echo "$b: $n documents, $((ir / n)) instructions per document, $kb KB"
done
