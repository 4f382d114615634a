#!/bin/sh
# bench/run.sh -- the courtdocs benchmark suite (`make bench` runs it after an
# optimised build into build-bench/). Writes bench/RESULTS.md: the machine,
# the commit, the date, and for each measurement the exact command and the
# figures. POSIX sh; run from the top of the tree:
#
#   sh bench/run.sh [build-bench/courtdocs]
#
# Environment (all optional):
#   BENCH_CASES_BIG=10000   caseload for the import and batch benchmarks
#   BENCH_CASES_MID=1000    caseload for the per-review benchmark
#   BENCH_LAYOUT_N=1000     documents in the layout benchmark
#   BENCH_SINGLE_RUNS=30    runs of the single-document benchmark
#   BENCH_KEEP=1            keep the scratch folder (printed at the end)
#   BENCH_NAIVE_N=200       documents of the naive libharu floor (section 7)
#   BENCH_SKIP_ALL_REVIEWS=1  skip section 3 (a process per review of a caseload)
#
# Tools: /usr/bin/time (package time), hyperfine and fop are installed when
# run as root; otherwise the apt-get command is printed and the measurement
# that needs the tool falls back (a shell loop instead of hyperfine) or is
# skipped (FOP), saying so in RESULTS.md.
set -u

BIN=${1:-build-bench/courtdocs}
BUILD=$(dirname "$BIN")
CASES_BIG=${BENCH_CASES_BIG:-10000}
CASES_MID=${BENCH_CASES_MID:-1000}
LAYOUT_N=${BENCH_LAYOUT_N:-1000}
SINGLE_RUNS=${BENCH_SINGLE_RUNS:-30}
SEED=1
AS_OF=2026-11-02          # the demo caseload's export date (fixed, see docs/demo.md)
MONTH=2026-11             # the month of reviews the batch benchmark renders
OUT=bench/RESULTS.md
CC=${CC:-cc}

[ -x "$BIN" ] || { echo "bench: $BIN not found; run 'make bench'" >&2; exit 1; }
W=$(mktemp -d /tmp/courtdocs-bench.XXXXXX) || exit 1
[ "${BENCH_KEEP:-0}" = 1 ] || trap 'rm -rf "$W"' EXIT
export CD_TODAY=$AS_OF     # documents are dated as of the demo's export date
NPROC=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)

say() { printf '%s\n' "$*" >&2; }

# ---- tools ------------------------------------------------------------------
# need PACKAGE COMMAND: installs PACKAGE as root when COMMAND is missing.
need() {
  command -v "$2" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    say "bench: installing $1"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1; }
  fi
  command -v "$2" >/dev/null 2>&1 && return 0
  say "bench: $2 is missing; run: sudo apt-get install -y $1"
  return 1
}
need time /usr/bin/time || { say "bench: /usr/bin/time is required"; exit 1; }
HAVE_HYPERFINE=0; need hyperfine hyperfine && HAVE_HYPERFINE=1
HAVE_FOP=0; need fop fop && HAVE_FOP=1
HAVE_XSLTPROC=0; need xsltproc xsltproc && HAVE_XSLTPROC=1

# timed FILE CMD...: runs CMD under /usr/bin/time; FILE gets "SECONDS PEAK_KB".
timed() {
  _t=$1; shift
  /usr/bin/time -f '%e %M %U %S' -o "$_t" "$@"
}
# cpu FILE: user + system seconds of a timed run (children waited for included).
cpu() { awk '{ printf "%.2f", $3 + $4 }' "$1"; }
secs() { cut -d' ' -f1 "$1"; }
peak_mb() { awk '{ printf "%.1f", $2 / 1024 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }

# ---- results file ---------------------------------------------------------------
R=$W/results.md
{
  echo "# courtdocs benchmark results"
  echo
  echo "Written by \`make bench\` (bench/run.sh); every figure below comes from the"
  echo "run recorded here. Optimised build: \`make BENCH=1\` (-O2 -DNDEBUG) in $BUILD/."
  echo
  echo "## Machine and build"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| commit | $(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include templates fonts 2>/dev/null || echo ' (with uncommitted changes)') |"
  echo "| uname -a | $(uname -a) |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //') |"
  echo "| cores online | $NPROC |"
  echo "| memory | $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) |"
  echo "| compiler | $($CC --version | head -1) |"
  echo "| libharu / libxml2 / SQLite | $(dpkg-query -W -f='${Version}' libhpdf-dev 2>/dev/null) / $(pkg-config --modversion libxml-2.0) / $(pkg-config --modversion sqlite3) |"
  echo "| timing | /usr/bin/time -f '%e %M' (wall seconds, peak resident KB)$( [ $HAVE_HYPERFINE = 1 ] && echo "; $(hyperfine --version)") |"
  echo
} >"$R"

# available CMD: true when the courtdocs command is built (not the placeholder:
# its help says "Not yet available", or running it says "not yet available").
available() {
  ! "$BIN" "$1" --help 2>/dev/null | grep -q 'Not yet available' &&
    ! "$BIN" "$1" --db /nonexistent/courtdocs.db --month 2026-01 --out /nonexistent/out --case x 2>&1 |
      grep -q 'not yet available'
}

# ---- 1. import rate and memory flatness -------------------------------------------
say "bench: 1. import"
{
  echo "## 1. Import rate (issue 2)"
  echo
} >>"$R"
if available import && available demo; then
  {
    echo "Demo caseload written with \`courtdocs demo --records-only FILE --cases N --seed $SEED\`,"
    echo "then imported into a new store, timed with \`/usr/bin/time\`:"
    echo
    echo "| cases | appointment + test rows | XML size | import seconds | rows/s | peak memory |"
    echo "|---:|---:|---:|---:|---:|---:|"
  } >>"$R"
  for n in $CASES_MID $CASES_BIG; do
    "$BIN" demo --records-only "$W/c$n.xml" --cases "$n" --seed $SEED >/dev/null 2>"$W/demo$n.err" ||
      { say "bench: demo --cases $n failed: $(cat "$W/demo$n.err")"; continue; }
    rows=$(grep -c -E '<(appointment|test) ' "$W/c$n.xml")
    size=$(du -m "$W/c$n.xml" | cut -f1)
    if timed "$W/imp$n.t" "$BIN" import --create --db "$W/c$n.db" "$W/c$n.xml" >/dev/null 2>"$W/imp$n.err"; then
      s=$(secs "$W/imp$n.t")
      echo "| $n | $rows | $size MB | $s | $(ratio "$rows" "$s" | cut -d. -f1) | $(peak_mb "$W/imp$n.t") MB |" >>"$R"
    else
      echo "| $n | $rows | $size MB | failed: $(head -c 200 "$W/imp$n.err") | | |" >>"$R"
    fi
  done
  {
    echo
    echo "Commands: \`$BIN demo --records-only c$CASES_BIG.xml --cases $CASES_BIG --seed $SEED\`,"
    echo "\`/usr/bin/time -f '%e %M' $BIN import --create --db c$CASES_BIG.db c$CASES_BIG.xml\`."
    echo "Aim: over 200,000 rows/s on one core, and peak memory flat from $CASES_MID to $CASES_BIG cases."
    echo
  } >>"$R"
else
  echo "Skipped: \`courtdocs import\` or \`courtdocs demo\` is not built yet in this commit." >>"$R"
  echo >>"$R"
fi

# A case ref of the mid-size store with a review due in the month, for (2) and (6).
pick_case() {
  "$BIN" cases --db "$1" --due "$MONTH" --csv 2>/dev/null | sed -n '2p' | cut -d, -f1 | tr -d '"'
}

# ---- 2. single-document time ---------------------------------------------------------
say "bench: 2. single document"
echo "## 2. Single-document time (issue 3)" >>"$R"
echo >>"$R"
CASE=""
[ -f "$W/c$CASES_MID.db" ] && CASE=$(pick_case "$W/c$CASES_MID.db")
if available review && [ -n "$CASE" ]; then
  cmd="$BIN review --db $W/c$CASES_MID.db --case '$CASE' -o $W/single.pdf"
  if [ $HAVE_HYPERFINE = 1 ]; then
    hyperfine -N --warmup 3 --runs "$SINGLE_RUNS" --export-csv "$W/single.csv" "$cmd" >/dev/null 2>"$W/single.err" ||
      hyperfine --warmup 3 --runs "$SINGLE_RUNS" --export-csv "$W/single.csv" "$cmd" >/dev/null 2>"$W/single.err"
    med=$(awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$W/single.csv")
    min=$(awk -F, 'NR == 2 { printf "%.1f", $7 * 1000 }' "$W/single.csv")
    how="hyperfine, $SINGLE_RUNS runs after 3 warm-up runs"
  else
    i=0
    while [ $i -lt "$SINGLE_RUNS" ]; do
      timed "$W/s$i.t" sh -c "$cmd" >/dev/null 2>&1
      secs "$W/s$i.t"
      i=$((i + 1))
    done | sort -n >"$W/single.list"
    med=$(awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] * 1000 }' "$W/single.list")
    min=$(awk 'NR == 1 { printf "%.1f", $1 * 1000 }' "$W/single.list")
    how="a shell loop of $SINGLE_RUNS runs (/usr/bin/time, 10 ms resolution)"
  fi
  pages=$(pdfinfo "$W/single.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
  bytes=$(wc -c <"$W/single.pdf")
  timed "$W/single.t" sh -c "$cmd" >/dev/null 2>&1
  {
    echo "The court review report for one case of the $CASES_MID-case store (case \`$CASE\`,"
    echo "$pages pages, $bytes bytes), one process per document as an officer runs it:"
    echo
    echo "- median **$med ms**, fastest $min ms ($how); peak memory $(peak_mb "$W/single.t") MB"
    echo "- command: \`$cmd\` (CD_TODAY=$AS_OF)"
    echo
  } >>"$R"
else
  echo "Skipped: \`courtdocs review\` is not built yet, or no store/case to render." >>"$R"
  echo >>"$R"
fi

# ---- 3. reviews for a whole caseload; order length -----------------------------------
say "bench: 3. reviews for every case"
echo "## 3. Reviews for every case of a $CASES_MID-case caseload (issue 3)" >>"$R"
echo >>"$R"
# reviews_all DB LABEL [LIMIT]: renders the review of every case that has a
# review to come (on its next review date), one process each. A case with
# no review due (order ended, PSR stage) is not a review and is not counted.
reviews_all() {
  "$BIN" cases --db "$1" --csv 2>/dev/null | sed '1d' |
    awk -F, '$NF != "" { r = $1; gsub(/"/, "", r); print r "," $NF }' | head -n "${3:-1000000}" >"$W/refs.$2"
  n=$(wc -l <"$W/refs.$2")
  mkdir -p "$W/all.$2"
  cat >"$W/all.$2.sh" <<EOF
while IFS=, read -r ref date; do
  /usr/bin/time -f '%M' -a -o "$W/all.$2.rss" "$BIN" review --db "$1" --case "\$ref" --date "\$date" \
    -o "$W/all.$2/r.pdf" -q >/dev/null 2>&1 || echo "\$ref" >>"$W/all.$2.failed"
done <"$W/refs.$2"
EOF
  timed "$W/all.$2.t" sh "$W/all.$2.sh"
  s=$(secs "$W/all.$2.t")
  failed=0
  [ -f "$W/all.$2.failed" ] && failed=$(wc -l <"$W/all.$2.failed")
  peak=$(grep -E '^[0-9]+$' "$W/all.$2.rss" | sort -n | tail -1)
  echo "| $2 | $n | $failed | $s | $(ratio "$n" "$s") | $(awk -v s="$s" -v n="$n" 'BEGIN { if (n > 0) printf "%.1f", 1000 * s / n }') ms | $(awk -v k="${peak:-0}" 'BEGIN { printf "%.1f", k / 1024 }') MB |"
}
if [ "${BENCH_SKIP_ALL_REVIEWS:-0}" = 1 ]; then
  echo "Skipped in this run (BENCH_SKIP_ALL_REVIEWS=1): one process per review of a whole caseload" >>"$R"
  echo "takes more than ten minutes on the shared machine (each review fsyncs its PDF and audit row)." >>"$R"
  echo >>"$R"
elif available review && [ -f "$W/c$CASES_MID.db" ]; then
  {
    echo "One \`courtdocs review\` process per case with a review to come, each on its next"
    echo "review date, in sequence (one core):"
    echo
    echo "| caseload | reviews | failed | seconds | reviews/s | per review | peak memory of one review |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    reviews_all "$W/c$CASES_MID.db" "demo"
  } >>"$R"
  # How the cost grows with the length of the order: every order N months
  # long (demo --order-months), 200 cases, the first 100 reviews due.
  {
    echo
    echo "How the cost grows with the order's length: \`demo --records-only --cases 200"
    echo "--order-months N\`, imported, then the first 100 reviews as above:"
    echo
    echo "| caseload | reviews | failed | seconds | reviews/s | per review | peak memory of one review |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
  } >>"$R"
  for m in 6 12 24 36; do
    "$BIN" demo --records-only "$W/m$m.xml" --cases 200 --order-months "$m" --seed $SEED >/dev/null 2>&1 &&
      "$BIN" import --create -q --db "$W/m$m.db" "$W/m$m.xml" >/dev/null 2>&1 &&
      reviews_all "$W/m$m.db" "orders of $m months" 100 >>"$R"
  done
  echo >>"$R"
else
  echo "Skipped: \`courtdocs review\` is not built yet." >>"$R"
  echo >>"$R"
fi

# ---- 4. batch throughput ------------------------------------------------------------------
say "bench: 4. batch"
echo "## 4. Batch: a month of reviews for a $CASES_BIG-case area (issue 6)" >>"$R"
echo >>"$R"
if available batch && [ -f "$W/c$CASES_BIG.db" ]; then
  {
    echo "\`courtdocs batch --db c$CASES_BIG.db --month $MONTH --out DIR -j N\` (stderr not a terminal)."
    echo "Peak memory per worker is the largest ru_maxrss of the workers (wait4), as batch reports it."
    echo
    echo "| workers | documents | failed | seconds | documents/s | peak memory per worker | parent peak |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
  } >>"$R"
  for j in 1 "$NPROC"; do
    rm -rf "$W/batch$j"
    timed "$W/batch$j.t" "$BIN" batch --db "$W/c$CASES_BIG.db" --month $MONTH --out "$W/batch$j" -j "$j" \
      >"$W/batch$j.out" 2>"$W/batch$j.err"
    docs=$(($(wc -l <"$W/batch$j/index.csv" 2>/dev/null || echo 1) - 1))
    fails=$(sed -n 's/^\([0-9]*\) documents\{0,1\} failed:$/\1/p' "$W/batch$j.err")
    s=$(secs "$W/batch$j.t")
    wk=$(sed -n 's/.*peak memory per worker \([0-9.]* MB\).*/\1/p' "$W/batch$j.err" "$W/batch$j.out" | head -1)
    echo "| $j | $docs | ${fails:-0} | $s | $(ratio "$docs" "$s") | ${wk:-n/a} | $(peak_mb "$W/batch$j.t") MB |" >>"$R"
    [ "$j" = "$NPROC" ] && break
  done
  {
    echo
    echo "Aim: a month of reviews for a 10,000-case area in under 60 seconds on 2 cores,"
    echo "with memory per worker flat."
    echo
  } >>"$R"
else
  echo "Skipped: \`courtdocs batch\` is not built yet, or no $CASES_BIG-case store." >>"$R"
  echo >>"$R"
fi

# ---- 5. layout engine -------------------------------------------------------------------------
say "bench: 5. layout"
echo "## 5. Layout engine: a 4-page document, 120-row table, two charts (issue 8)" >>"$R"
echo >>"$R"
LIBS=$(make -s --no-print-directory print-libs)     # one list, the Makefile's
if $CC -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Iinclude -Isrc bench/layout_bench.c \
     "$BUILD/libcourtdocs.a" $LIBS -o "$BUILD/layout_bench" 2>"$W/lb.err"; then
  "$BUILD/layout_bench" -n "$LAYOUT_N" -o "$W/layout.pdf" >"$W/layout.txt"
  v() { sed -n "s/^$1 //p" "$W/layout.txt"; }
  qc=$(qpdf --check "$W/layout.pdf" >/dev/null 2>&1 && echo "passes" || echo "FAILS")
  {
    echo "\`$BUILD/layout_bench -n $LAYOUT_N\` (bench/layout_bench.c: builds the document through"
    echo "src/layout.h and renders it to memory, $LAYOUT_N times in one process):"
    echo
    echo "- **$(v docs_per_s) documents/s** ($(v ms_per_doc) ms each), $(v pages) pages, $(v bytes_per_doc) bytes per document"
    echo "- peak memory $(($(v peak_rss_kb) / 1024)) MB after the whole run, $(($(v peak_rss_kb_at_10pct) / 1024)) MB after the first 10% (flat when equal)"
    echo "- \`qpdf --check\` on the last document: $qc"
    echo
  } >>"$R"
  # Where the time goes: instructions by function (callgrind), when valgrind is here.
  if command -v valgrind >/dev/null 2>&1 && command -v callgrind_annotate >/dev/null 2>&1; then
    valgrind --tool=callgrind --callgrind-out-file="$W/cg.out" "$BUILD/layout_bench" -n 10 >/dev/null 2>&1
    {
      echo "Where the time goes (\`valgrind --tool=callgrind $BUILD/layout_bench -n 10\`, share of"
      echo "instructions including callees, selected functions):"
      echo
      echo '```'
      callgrind_annotate --inclusive=yes "$W/cg.out" 2>/dev/null |
        grep -E ':(cd_doc_render_buffer|lay_out[.a-z0-9]*|cd_pdf_text|HPDF_GetFont|HPDF_Type0Font_New|HPDF_TTFontDef_GetGlyphid|cd_pdf_save_buffer|build|HPDF_SaveToStream|deflate|lay_draw_line) ' |
        sed -E 's/ \[.*//; s/\?\?\?://' | head -12
      echo '```'
      echo
    } >>"$R"
  fi
else
  echo "Skipped: bench/layout_bench.c did not build: $(head -c 300 "$W/lb.err")" >>"$R"
  echo >>"$R"
fi

# ---- 6. Apache FOP side by side ---------------------------------------------------------------
say "bench: 6. FOP"
echo "## 6. Side by side with Apache FOP" >>"$R"
echo >>"$R"
if [ $HAVE_FOP = 0 ]; then
  echo "Skipped: Apache FOP is not installed (run: sudo apt-get install -y fop)." >>"$R"
else
  . bench/fop.sh
fi
echo >>"$R"

# ---- 7. Issue 16: the aims side by side -----------------------------------------------------
say "bench: 7. issue 16 aims"
{
  echo "## 7. Issue 16: the PDF writer's aims, from this run"
  echo
} >>"$R"
NAIVE_N=${BENCH_NAIVE_N:-200}
if $CC -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE bench/naive_libharu.c $LIBS -o "$BUILD/naive_libharu" 2>"$W/nv.err"; then
  "$BUILD/naive_libharu" -n "$NAIVE_N" -o "$W" >"$W/naive.txt"
  nv_ms=$(awk '{ print $6 }' "$W/naive.txt"); nv_cpu=$(awk '{ print $8 }' "$W/naive.txt")
  nv_bytes=$(awk '{ print $10 }' "$W/naive.txt")
else
  nv_ms=n/a; nv_cpu=n/a; nv_bytes=n/a
fi
# aim LABEL FIGURE AIM MET: one table row
aim() { echo "| $1 | $2 | $3 | $4 |" >>"$R"; }
met() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a") print "n/a"; else if (a + 0 <= b + 0) print "met"; else print "not met" }'; }
{
  echo "The floor is bench/naive_libharu.c: a four-page report drawn straight with libharu and"
  echo "our trimmed DejaVu Sans (libharu's own TrueType embedding, UTF-8 encoder), $NAIVE_N documents"
  echo "in one process, each saved to a file (not synced): $nv_ms ms per document wall, $nv_cpu ms CPU,"
  echo "$nv_bytes bytes. The batch figures are per document of section 4 (\`batch -j 1\`): wall"
  echo "seconds over documents, and CPU (user + system of the batch and its workers) over documents;"
  echo "the batch also plans, builds the facts, lays out, and fsyncs every PDF and its audit row."
  echo "On a shared machine wall times move with the load; CPU times are steadier."
  echo
  echo "| measure | figure | aim | |"
  echo "|---|---:|---:|---|"
} >>"$R"
if [ -f "$W/batch1.t" ]; then
  b1docs=$(($(wc -l <"$W/batch1/index.csv" 2>/dev/null || echo 1) - 1))
  b1_ms=$(awk -v s="$(secs "$W/batch1.t")" -v n="$b1docs" 'BEGIN { if (n > 0) printf "%.1f", s * 1000 / n; else print "n/a" }')
  b1_cpu=$(awk -v s="$(cpu "$W/batch1.t")" -v n="$b1docs" 'BEGIN { if (n > 0) printf "%.1f", s * 1000 / n; else print "n/a" }')
  aim "batch per review, wall (-j 1)" "$b1_ms ms" "floor $nv_ms ms (moonshot half)" "$(met "$b1_ms" "$nv_ms")"
  aim "batch per review, CPU (-j 1)" "$b1_cpu ms" "floor $nv_cpu ms CPU (moonshot half)" "$(met "$b1_cpu" "$nv_cpu")"
  aim "10,000-case month, -j 1" "$(secs "$W/batch1.t") s" "" ""
fi
if [ -f "$W/batch$NPROC.t" ] && [ "$NPROC" != 1 ]; then
  aim "10,000-case month, -j $NPROC" "$(secs "$W/batch$NPROC.t") s ($(cpu "$W/batch$NPROC.t") s CPU)" "under 8 s at -j 2" "$(met "$(secs "$W/batch$NPROC.t")" 8)"
fi
aim "one review as a process (median, section 2)" "${med:-n/a} ms" "under 25 ms" "$(met "${med:-n/a}" 25)"
if [ -f "$W/c$CASES_MID.db" ] && available review; then
  "$BIN" review --db "$W/c$CASES_MID.db" --case DEMO/0002 -o "$W/demo0002.pdf" -q >/dev/null 2>&1
  b0002=$(wc -c <"$W/demo0002.pdf" 2>/dev/null || echo n/a)
  aim "bytes of the DEMO/0002 review" "$b0002" "at most 34,744 (FOP; moonshot 25,000)" "$(met "$b0002" 34744)"
  cd_err=$(pdftotext "$W/demo0002.pdf" /dev/null 2>&1 | head -1)
  qc=$(qpdf --check "$W/demo0002.pdf" >/dev/null 2>&1 && echo clean || echo "NOT clean")
  echo >>"$R"
  echo "The DEMO/0002 review: \`qpdf --check\` $qc; pdftotext warnings: ${cd_err:-none}." >>"$R"
fi
echo >>"$R"

# ---- 8. Issue 17: what tagging costs ----------------------------------------------------
say "bench: 8. tagging"
{
  echo "## 8. Tagging: what the tagged PDF costs (issue 17)"
  echo
  echo "\`sh bench/tagging.sh\`: the same month of reviews rendered by the usual build and by"
  echo "a build with \`-DCD_UNTAGGED\` (same program, no structure tree, marked content or"
  echo "artifacts). Aim: tagging costs at most 10% of a batch document's time."
  echo
  echo '```'
} >>"$R"
if command -v valgrind >/dev/null 2>&1; then
  sh bench/tagging.sh 2>"$W/tagging.err" | grep -v ' added, ' >>"$R" ||
    echo "bench/tagging.sh failed: $(head -c 300 "$W/tagging.err")" >>"$R"
else
  echo "Skipped: valgrind is not installed (run: sudo apt-get install -y valgrind)." >>"$R"
fi
echo '```' >>"$R"
echo >>"$R"

cp "$R" "$OUT"
say "bench: results in $OUT"
[ "${BENCH_KEEP:-0}" = 1 ] && say "bench: scratch files kept in $W"
exit 0
