# bench/fop.sh -- the Apache FOP side of the benchmark, sourced by bench/run.sh
# (uses its $W, $R, $BIN, $BUILD, $CASES_MID, $MONTH, $CASE and helpers).
#
# FOP gets the same fonts as courtdocs (the trimmed DejaVu Sans family in
# fonts/, embedded as subsets) through a generated configuration file, so
# that file sizes compare like with like. Two comparisons:
#   a. the layout benchmark's document (bench/layout_bench.c) written as
#      XSL-FO by fo_layout_document below: same text, the 120-row table, the
#      two charts as SVG;
#   b. the court review report of one case: `courtdocs facts` gives the data
#      document, bench/review-fo.xsl turns it into XSL-FO (xsltproc), FOP
#      renders it, and `courtdocs review` renders the same case.
# FOP is timed per invocation (a cold JVM, as a command-line user runs it)
# and, to separate JVM start-up from rendering, on one FO file holding 20
# copies of the document as separate page sequences: the warm cost of one
# document is (time of 20 - time of 1) / 19.

FONTS=$(cd fonts && pwd)
cat >"$W/fop.xconf" <<EOF
<fop version="1.0"><renderers><renderer mime="application/pdf"><fonts>
<font kerning="yes" embed-url="file://$FONTS/DejaVuSans.ttf" embedding-mode="subset"><font-triplet name="DejaVu Sans" style="normal" weight="normal"/></font>
<font kerning="yes" embed-url="file://$FONTS/DejaVuSans-Bold.ttf" embedding-mode="subset"><font-triplet name="DejaVu Sans" style="normal" weight="bold"/></font>
<font kerning="yes" embed-url="file://$FONTS/DejaVuSans-Oblique.ttf" embedding-mode="subset"><font-triplet name="DejaVu Sans" style="italic" weight="normal"/></font>
<font kerning="yes" embed-url="file://$FONTS/DejaVuSans-BoldOblique.ttf" embedding-mode="subset"><font-triplet name="DejaVu Sans" style="italic" weight="bold"/></font>
</fonts></renderer></renderers></fop>
EOF

# fop_run FO PDF TIMEFILE: one FOP invocation, timed.
fop_run() {
  timed "$3" fop -q -c "$W/fop.xconf" -fo "$1" -pdf "$2" >/dev/null 2>"$3.err"
}

# fo_copies FO COUNT OUT: OUT holds COUNT copies of FO's page sequence (one
# page sequence per document; ids and references made unique per copy).
fo_copies() {
  awk -v n="$2" '
    /<fo:page-sequence/ { inseq = 1 }
    inseq { seq = seq $0 "\n" }
    !inseq && !done_head { head = head $0 "\n" }
    /<\/fo:page-sequence>/ { inseq = 0; done_head = 1 }
    END {
      printf "%s", head
      for (i = 0; i < n; i++) { s = seq; gsub(/id="/, "id=\"c" i "-", s); printf "%s", s }
      print "</fo:root>"
    }
  ' "$1" >"$3"
}

# The page master both FO documents use: A4, 20 mm margins, the marking at
# the top and a footer line, like courtdocs documents.
fo_head() {
  cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format" font-family="DejaVu Sans" font-size="10pt">
<fo:layout-master-set>
<fo:simple-page-master master-name="A4" page-width="210mm" page-height="297mm" margin-top="10mm" margin-bottom="10mm" margin-left="20mm" margin-right="20mm">
<fo:region-body margin-top="12mm" margin-bottom="14mm"/><fo:region-before extent="10mm"/><fo:region-after extent="12mm"/>
</fo:simple-page-master>
</fo:layout-master-set>
EOF
}

# The layout benchmark's document, as XSL-FO.
fo_layout_document() {
  fo_head
  cat <<'EOF'
<fo:page-sequence master-reference="A4" initial-page-number="1">
<fo:static-content flow-name="xsl-region-before"><fo:block text-align="center" font-weight="bold" font-size="9pt">OFFICIAL-SENSITIVE</fo:block>
<fo:block font-size="8pt" text-align-last="justify">LSL/2026/0042<fo:leader leader-pattern="space"/>Court review report</fo:block></fo:static-content>
<fo:static-content flow-name="xsl-region-after"><fo:block font-size="8pt" text-align-last="justify">Document RV-1a2b3c4d<fo:leader leader-pattern="space"/>Page <fo:page-number/> of <fo:page-number-citation ref-id="end"/></fo:block>
<fo:block text-align="center" font-weight="bold" font-size="9pt">OFFICIAL-SENSITIVE</fo:block></fo:static-content>
<fo:flow flow-name="xsl-region-body">
<fo:block font-size="16pt" font-weight="bold" space-after="6pt">Court review report: Zoë Łukasiewicz-O'Brien</fo:block>
<fo:table table-layout="fixed" width="100%"><fo:table-column column-width="30%"/><fo:table-column column-width="70%"/><fo:table-body>
<fo:table-row><fo:table-cell><fo:block font-weight="bold">Case</fo:block></fo:table-cell><fo:table-cell><fo:block>LSL/2026/0042</fo:block></fo:table-cell></fo:table-row>
<fo:table-row><fo:table-cell><fo:block font-weight="bold">Order</fo:block></fo:table-cell><fo:table-cell><fo:block>DRR, high intensity, 12 months, made 3 June 2026</fo:block></fo:table-cell></fo:table-row>
<fo:table-row><fo:table-cell><fo:block font-weight="bold">Progress</fo:block></fo:table-cell><fo:table-cell><fo:block>Week 22 of 53</fo:block></fo:table-cell></fo:table-row>
<fo:table-row><fo:table-cell><fo:block font-weight="bold">This review</fo:block></fo:table-cell><fo:table-cell><fo:block>Review 5, 1 October to 4 November 2026</fo:block></fo:table-cell></fo:table-row>
</fo:table-body></fo:table>
<fo:block font-size="13pt" font-weight="bold" space-before="10pt" keep-with-next="always">Summary</fo:block>
<fo:block space-after="6pt">Attendance this period was 38 of 42 required appointments (90%), against 31 of 40 (78%) in the previous period. Contact hours met the standard in 4 of 5 complete weeks. Opiates negative rose from 1 of 8 (13%) to 3 of 8 (38%); cocaine negative fell from 5 of 8 (63%) to 2 of 7 (29%). There was one unacceptable failure in the last 12 months, answered by a formal warning on 13 June 2026.</fo:block>
<fo:block space-after="6pt">The treatment provider reports steady engagement with the structured day programme and a stable methadone prescription. The supervising officer proposes that the order continue, with the next review on 2 December 2026.</fo:block>
<fo:block font-size="13pt" font-weight="bold" space-before="10pt" keep-with-next="always">Attendance</fo:block>
<fo:table table-layout="fixed" width="100%" font-size="9pt" border-collapse="collapse">
<fo:table-column column-width="70pt"/><fo:table-column column-width="45pt"/><fo:table-column column-width="proportional-column-width(2)"/><fo:table-column column-width="proportional-column-width(2)"/><fo:table-column column-width="60pt"/>
<fo:table-header><fo:table-row font-weight="bold" background-color="#dddddd">
<fo:table-cell border="0.5pt solid #999999"><fo:block>Date</fo:block></fo:table-cell><fo:table-cell border="0.5pt solid #999999"><fo:block>Time</fo:block></fo:table-cell><fo:table-cell border="0.5pt solid #999999"><fo:block>Kind</fo:block></fo:table-cell><fo:table-cell border="0.5pt solid #999999"><fo:block>Outcome</fo:block></fo:table-cell><fo:table-cell border="0.5pt solid #999999"><fo:block text-align="right">Minutes</fo:block></fo:table-cell>
</fo:table-row></fo:table-header>
<fo:table-body>
EOF
  awk 'BEGIN {
    split("probation treatment group testing prescribing", k, " ");
    split("attended attended late attended absent-acceptable attended absent-unacceptable", o, " ");
    for (r = 0; r < 120; r++) {
      bg = (r % 7 == 6) ? " background-color=\"#f8d7d7\" font-weight=\"bold\"" : ((r % 2) ? " background-color=\"#f2f2f2\"" : "");
      c = "<fo:table-cell border=\"0.5pt solid #999999\"><fo:block>";
      e = "</fo:block></fo:table-cell>";
      printf "<fo:table-row%s>%s2026-%02d-%02d%s%s%02d:%02d%s%s%s%s%s%s%s<fo:table-cell border=\"0.5pt solid #999999\"><fo:block text-align=\"right\">%d%s</fo:table-row>\n",
        bg, c, 6 + int(r / 28), 1 + r % 28, e, c, 9 + r % 8, (r % 2) * 30, e, c, k[r % 5 + 1], e, c, o[r % 7 + 1], e, 30 + (r % 4) * 30, e
    } }'
  cat <<'EOF'
</fo:table-body></fo:table>
<fo:block font-size="13pt" font-weight="bold" space-before="10pt" keep-with-next="always">Drug tests</fo:block>
<fo:block keep-with-next="always"><fo:instream-foreign-object><svg xmlns="http://www.w3.org/2000/svg" width="480" height="180" font-family="DejaVu Sans" font-size="8">
<text x="240" y="10" text-anchor="middle" font-weight="bold" font-size="9">Tests negative by month of the order</text>
<line x1="40" y1="150" x2="470" y2="150" stroke="black"/><line x1="40" y1="20" x2="40" y2="150" stroke="black"/>
<text x="36" y="153" text-anchor="end">0%</text><text x="36" y="88" text-anchor="end">50%</text><text x="36" y="23" text-anchor="end">100%</text>
<text x="75" y="162">1</text><text x="145" y="162">2</text><text x="215" y="162">3</text><text x="285" y="162">4</text><text x="355" y="162">5</text><text x="425" y="162">6</text>
<polyline points="75,133 145,124 215,117 285,110 355,101 425,103" fill="none" stroke="#1f4e79" stroke-width="1.5"/>
<polyline points="75,85 145,68 215,78" fill="none" stroke="#c55a11" stroke-width="1.5" stroke-dasharray="4,2"/>
<polyline points="355,112 425,98" fill="none" stroke="#c55a11" stroke-width="1.5" stroke-dasharray="4,2"/>
<text x="240" y="175" text-anchor="middle">Month of the order</text>
</svg></fo:instream-foreign-object></fo:block>
<fo:block font-size="8pt" font-style="italic">Opiates negative rose from 13% in month 1 to 36% in month 6.</fo:block>
<fo:block font-size="13pt" font-weight="bold" space-before="10pt" keep-with-next="always">Contact hours</fo:block>
<fo:block keep-with-next="always"><fo:instream-foreign-object><svg xmlns="http://www.w3.org/2000/svg" width="480" height="180" font-family="DejaVu Sans" font-size="8">
<text x="240" y="10" text-anchor="middle" font-weight="bold" font-size="9">Contact hours by week of the order</text>
<line x1="40" y1="150" x2="470" y2="150" stroke="black"/><line x1="40" y1="20" x2="40" y2="150" stroke="black"/>
<rect x="60" y="56" width="30" height="94" fill="#1f4e79"/><rect x="92" y="72" width="30" height="78" fill="#c55a11"/>
<rect x="145" y="72" width="30" height="78" fill="#1f4e79"/><rect x="177" y="72" width="30" height="78" fill="#c55a11"/>
<rect x="230" y="88" width="30" height="62" fill="#1f4e79"/><rect x="262" y="72" width="30" height="78" fill="#c55a11"/>
<rect x="315" y="65" width="30" height="85" fill="#1f4e79"/><rect x="347" y="72" width="30" height="78" fill="#c55a11"/>
<rect x="400" y="69" width="30" height="81" fill="#1f4e79"/><rect x="432" y="72" width="30" height="78" fill="#c55a11"/>
<text x="240" y="175" text-anchor="middle">Week of the order</text>
</svg></fo:instream-foreign-object></fo:block>
<fo:block font-size="8pt" font-style="italic">Contact hours met the standard in 4 of 5 weeks.</fo:block>
<fo:block font-size="13pt" font-weight="bold" space-before="10pt" keep-with-next="always">Recommendation</fo:block>
<fo:block>That the order continue. The officer will address the fall in cocaine-negative results with the treatment provider before the next review.</fo:block>
<fo:block space-before="30pt" border-top="0.5pt solid black" width="200pt">Sam Okafor</fo:block>
<fo:block>Offender manager, 4 November 2026</fo:block>
<fo:block id="end"/>
</fo:flow></fo:page-sequence>
</fo:root>
EOF
}

# fop_compare LABEL FO COURTDOCS_PDF COURTDOCS_MS_COLD COURTDOCS_MS_WARM
fop_compare() {
  f=$(printf '%s' "$1" | tr -c 'A-Za-z0-9' '_')     # the label as a file name
  if ! fop_run "$2" "$W/fop-$f.pdf" "$W/fop-$f.t"; then
    echo "| $1 | FOP failed: $(head -c 200 "$W/fop-$f.t.err") | | | | | |"
    return
  fi
  fo_copies "$2" 20 "$W/fop-$f-20.fo"
  fop_run "$W/fop-$f-20.fo" "$W/fop-$f-20.pdf" "$W/fop-$f-20.t"
  cold=$(awk '{ printf "%.0f", $1 * 1000 }' "$W/fop-$f.t")
  warm=$(awk -v a="$(secs "$W/fop-$f.t")" '{ printf "%.0f", ($1 - a) * 1000 / 19 }' "$W/fop-$f-20.t")
  fp=$(pdfinfo "$W/fop-$f.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
  cp=$(pdfinfo "$3" 2>/dev/null | awk '/^Pages:/ { print $2 }')
  fb=$(wc -c <"$W/fop-$f.pdf")
  cb=$(wc -c <"$3")
  echo "| $1 | $cp / $fp | $4 / $cold ms: FOP $(ratio "$cold" "$4")x | $5 / $warm ms: FOP $(ratio "$warm" "$5")x | $cb / $fb bytes: courtdocs $(ratio "$cb" "$fb")x | $(peak_mb "$W/fop-$f.t") MB |"
}

{
  echo "Apache FOP $(dpkg-query -W -f='${Version}' fop 2>/dev/null) (Debian package), OpenJDK $(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/'),"
  echo "configured (fop.xconf, written by bench/fop.sh into the scratch folder) to embed the same trimmed DejaVu Sans"
  echo "faces as subsets. Each cell is courtdocs / FOP. *Cold* is one command-line invocation"
  echo "(FOP: JVM start-up included); *warm* is the cost of one more document in a running process"
  echo "(courtdocs: the layout benchmark's per-document time, or the batch's; FOP: (20 copies - 1) / 19)."
  echo "\"FOP Nx\" is FOP's time divided by courtdocs'; \"courtdocs Nx\" is courtdocs' file size divided by FOP's."
  echo
  echo "| document | pages | cold | warm | file size | FOP peak memory |"
  echo "|---|---|---|---|---|---|"
} >>"$R"

# a. the layout benchmark's document
fo_layout_document >"$W/layout.fo"
if [ -f "$W/layout.pdf" ] && [ -f "$W/layout.txt" ]; then
  lb_warm=$(sed -n 's/^ms_per_doc //p' "$W/layout.txt" | awk '{ printf "%.0f", $1 }')
  timed "$W/lb1.t" "$BUILD/layout_bench" -n 1 -o "$W/layout1.pdf" >/dev/null
  lb_cold=$(awk '{ printf "%.0f", $1 * 1000 }' "$W/lb1.t")
  fop_compare "layout benchmark (4 pages, 120-row table, 2 charts)" "$W/layout.fo" "$W/layout.pdf" "$lb_cold" "$lb_warm" >>"$R"
fi

# b. the court review report of one case, from its facts
if [ -n "${CASE:-}" ] && available facts && available review && [ $HAVE_XSLTPROC = 1 ] && [ -f bench/review-fo.xsl ]; then
  "$BIN" facts --db "$W/c$CASES_MID.db" --case "$CASE" >"$W/facts.xml" 2>"$W/facts.err" &&
    xsltproc bench/review-fo.xsl "$W/facts.xml" >"$W/review.fo" 2>"$W/xslt.err"
  if [ -s "$W/review.fo" ]; then
    timed "$W/rv1.t" "$BIN" review --db "$W/c$CASES_MID.db" --case "$CASE" -o "$W/review-cd.pdf" >/dev/null 2>&1
    rv_cold=$(awk '{ printf "%.0f", $1 * 1000 }' "$W/rv1.t")
    rv_warm=$(awk -F'[ ,;]+' '/documents\/s over 1 worker/ { for (i = 1; i <= NF; i++) if ($(i+1) == "documents/s") printf "%.0f", 1000 / $i }' "$W/batch1.out" 2>/dev/null)
    fop_compare "court review report, case $CASE" "$W/review.fo" "$W/review-cd.pdf" "$rv_cold" "${rv_warm:-n/a}" >>"$R"
  else
    echo "| court review report | could not build the FO: $(head -c 200 "$W/facts.err" "$W/xslt.err" 2>/dev/null | tr '\n' ' ') | | | | |" >>"$R"
  fi
else
  echo "| court review report | skipped: needs \`courtdocs facts\`, \`courtdocs review\`, xsltproc and bench/review-fo.xsl | | | | |" >>"$R"
fi
{
  echo
  echo "FO files are generated in the run: the layout document by \`fo_layout_document\` in bench/fop.sh,"
  echo "the review by \`xsltproc bench/review-fo.xsl facts.xml\`. FOP command:"
  echo "\`fop -q -c fop.xconf -fo FILE.fo -pdf FILE.pdf\`."
} >>"$R"
