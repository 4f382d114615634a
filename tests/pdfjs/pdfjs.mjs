// tests/pdfjs/pdfjs.mjs -- reads a courtdocs PDF as a browser does, with
// pdf.js (pdfjs-dist, pinned in package-lock.json here), for what poppler,
// mupdf and qpdf do not show. The one pdf.js harness of the suite:
//
//   node tests/pdfjs/pdfjs.mjs text FILE.pdf
//     the text as pdf.js extracts it (what copy and paste gives in Firefox
//     and other pdf.js viewers), one line per text item ending a line, a
//     blank line after each page (tests/test_fonts.c);
//   node tests/pdfjs/pdfjs.mjs structure FILE.pdf [PASSWORD]
//     what a reader's accessibility tools get (tests/test_a11y.c):
//       pages N
//       title: TITLE
//       lang: LANGUAGE
//       page I                                then the part of the structure
//       role: ROLE [alt="ALTERNATIVE TEXT"]   tree on page I, indented one
//                                             space a level, in order
//       marked-content: N                     (marked content sequences with
//                                             properties, on every page)
//       artifacts: N                          (marked content tagged Artifact)
//
// Needs node (20 or later) and pdfjs-dist: `npm ci` in tests/pdfjs (run by
// scripts/deps.sh when npm is present). Exit status: 0 read; 2 the PDF
// cannot be opened (encrypted and no password or the wrong one: "cannot
// open: PasswordException" on stdout); 1 anything else (usage, a damaged
// file).
import { readFileSync } from 'node:fs';
import { getDocument } from './node_modules/pdfjs-dist/legacy/build/pdf.mjs';

const [mode, file, password] = process.argv.slice(2);
if (!['text', 'structure'].includes(mode) || !file) {
  process.stderr.write('usage: node tests/pdfjs/pdfjs.mjs text|structure FILE.pdf [PASSWORD]\n');
  process.exit(1);
}

let doc;
try {
  const data = new Uint8Array(readFileSync(file));
  doc = await getDocument({ data, password, verbosity: 0, disableFontFace: true, useSystemFonts: false }).promise;
} catch (e) {
  if (e.name === 'PasswordException') {
    console.log('cannot open: ' + e.name);
    process.exit(2);
  }
  process.stderr.write(file + ': ' + e.message + '\n');
  process.exit(1);
}

if (mode === 'text') {
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    for (const item of content.items)
      if (item.str !== undefined) process.stdout.write(item.str + (item.hasEOL ? '\n' : ''));
    process.stdout.write('\n');
  }
} else {
  const meta = await doc.getMetadata();
  const out = ['pages ' + doc.numPages, 'title: ' + meta.info.Title, 'lang: ' + meta.info.Language];
  const walk = (node, depth) => {
    if (node.role)
      out.push(' '.repeat(depth) + 'role: ' + node.role + (node.alt !== undefined ? ' alt="' + node.alt + '"' : ''));
    for (const child of node.children || []) walk(child, depth + 1);
  };
  let marked = 0, artifacts = 0;
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    out.push('page ' + i);
    const tree = await page.getStructTree();
    if (tree) walk(tree, 0);
    const content = await page.getTextContent({ includeMarkedContent: true });
    for (const item of content.items) {
      if (item.type === 'beginMarkedContentProps') marked++;
      if (item.type && item.type.startsWith('beginMarkedContent') && item.tag === 'Artifact') artifacts++;
    }
  }
  out.push('marked-content: ' + marked, 'artifacts: ' + artifacts);
  console.log(out.join('\n'));
}
