// tests/pdfjs_check.js -- reads a courtdocs PDF as a browser would, with
// pdf.js (npm pdfjs-dist 3.x), for the accessibility checks of issue 17 that
// poppler and qpdf do not cover: that pdf.js opens an encrypted PDF with its
// password and refuses it without, and sees the title, the language, the
// structure tree (with each Figure's alternative text) and the marked
// content. Not part of `make check` (it needs node and a package from npm):
//   npm install --prefix /tmp/pdfjs pdfjs-dist@3
//   NODE_PATH=/tmp/pdfjs/node_modules node tests/pdfjs_check.js FILE.pdf [PASSWORD]
// Exit status 2 when the PDF cannot be opened (wrong or missing password).
const pdfjs = require('pdfjs-dist/legacy/build/pdf.js');
const fs = require('fs');
(async () => {
  const [file, password] = process.argv.slice(2);
  let doc;
  try {
    doc = await pdfjs.getDocument({data: new Uint8Array(fs.readFileSync(file)), password, verbosity: 0}).promise;
  } catch (e) { console.log('cannot open: ' + e.name); process.exit(2); }
  const meta = await doc.getMetadata();
  console.log('pages ' + doc.numPages + ', title: ' + meta.info.Title + ', lang: ' + meta.info.Language);
  const page = await doc.getPage(1);
  const tree = await page.getStructTree();
  const roles = [];
  const walk = (n, d) => { if (n.role) roles.push(' '.repeat(d) + n.role + (n.alt ? ' alt="' + n.alt + '"' : '')); (n.children || []).forEach(c => walk(c, d + 1)); };
  walk(tree, 0);
  console.log(roles.slice(0, 14).join('\n'));
  const tc = await page.getTextContent({includeMarkedContent: true});
  console.log('marked content items: ' + tc.items.filter(i => i.type === 'beginMarkedContentProps').length +
              ', artifacts: ' + tc.items.filter(i => i.type === 'beginMarkedContent' && i.tag === 'Artifact').length +
              ', ' + tc.items.filter(i => i.type === 'beginMarkedContentProps' && i.tag === 'Artifact').length);
  console.log('text: ' + tc.items.filter(i => i.str).slice(0, 6).map(i => i.str).join('|'));
})();
