#!/bin/sh
# bench/compare-pages.sh -- do the demo documents look the same as they did?
# Renders the demo caseload's documents with two builds of courtdocs (say,
# the last release's and this tree's), turns every page into a greyscale
# image at 60 dpi with pdftoppm, and counts the pixels that differ by more
# than a fifth of the grey scale (anti-aliasing moves of a fraction of a
# pixel stay under it). Run from the top of the tree:
#   sh bench/compare-pages.sh OLD_COURTDOCS NEW_COURTDOCS
# Prints one line per document: pages, pixels differing, and the rows of the
# first page that differs. The footer's "generated" time and document id
# always differ (they are the run's), so expect a few hundred pixels there.
# Needs poppler-utils and python3.
set -eu
[ $# -eq 2 ] || { echo "usage: sh bench/compare-pages.sh OLD_COURTDOCS NEW_COURTDOCS" >&2; exit 2; }
W=$(mktemp -d /tmp/courtdocs-pages.XXXXXX)
trap 'rm -rf "$W"' EXIT
export CD_TODAY=2026-11-02 SOURCE_DATE_EPOCH=1793577600
"$1" demo --force --db "$W/old.db" --out "$W/old" >/dev/null
"$2" demo --force --db "$W/new.db" --out "$W/new" >/dev/null
for f in "$W"/old/*.pdf; do
  n=$(basename "$f" .pdf)
  pdftoppm -gray -r 60 "$f" "$W/o-$n"
  pdftoppm -gray -r 60 "$W/new/$n.pdf" "$W/n-$n"
done
python3 - "$W" <<'EOF'
import glob, os, sys
w = sys.argv[1]
def pgm(path):
    d = open(path, 'rb').read()
    magic, width, height, maxval, data = d.split(maxsplit=4)
    return int(width), int(height), data
for old in sorted(glob.glob(w + '/old/*.pdf')):
    n = os.path.basename(old)[:-4]
    a = sorted(glob.glob(f'{w}/o-{n}-*.pgm')); b = sorted(glob.glob(f'{w}/n-{n}-*.pgm'))
    differing, rows = 0, None
    for pa, pb in zip(a, b):
        wa, ha, da = pgm(pa); wb, hb, db = pgm(pb)
        if (wa, ha) != (wb, hb):
            print(f'{n}: page sizes differ'); break
        bad = [i for i in range(len(da)) if abs(da[i] - db[i]) > 51]
        differing += len(bad)
        if bad and rows is None:
            rows = f'page {pa.rsplit("-", 1)[1][:-4]}, rows {bad[0] // wa}-{bad[-1] // wa} of {ha}'
    print(f'{n}: {len(a)} pages old, {len(b)} new; {differing} pixels differ' + (f' (first: {rows})' if rows else ''))
EOF
