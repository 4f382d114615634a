#!/bin/sh
# Makes sure the Debian packages courtdocs builds and tests with are present.
# As root it installs what is missing (apt-get install -y); otherwise it
# prints the exact command to run and fails, so `make` stops with a clear cause.
set -e
want="make build-essential pkg-config libhpdf-dev libxml2-dev libsqlite3-dev libpng-dev zlib1g-dev check libsubunit-dev poppler-utils qpdf libqpdf-dev libdeflate-dev mupdf-tools fonts-dejavu-core groff-base"
[ -n "$EXTRA_PACKAGES" ] && want="$want $EXTRA_PACKAGES"
# pdf.js for the tests' one pdf.js harness (tests/pdfjs/pdfjs.mjs: copy and
# paste in tests/test_fonts.c, structure and password in tests/test_a11y.c),
# when node and npm are present (the tests skip pdf.js with a message
# otherwise): the version pinned in tests/pdfjs/package-lock.json, into
# tests/pdfjs/node_modules.
if command -v npm >/dev/null 2>&1 && [ -f tests/pdfjs/package.json ] && [ ! -d tests/pdfjs/node_modules/pdfjs-dist ]; then
  echo "courtdocs: installing pdfjs-dist for the tests (npm ci in tests/pdfjs)" >&2
  (cd tests/pdfjs && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) ||
    echo "courtdocs: could not install pdfjs-dist; the pdf.js checks will be skipped" >&2
fi
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "courtdocs: installing missing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || apt-get update
  apt-get install -y -qq $missing >/dev/null || apt-get install -y $missing
else
  echo "courtdocs: missing Debian packages:$missing" >&2
  echo "run as root (or with sudo): apt-get update && apt-get install -y$missing" >&2
  exit 1
fi
