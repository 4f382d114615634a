// tests/pdfjs/pdf_text.mjs -- prints the text of a PDF as pdf.js extracts it
// (what copy and paste gives in Firefox and other pdf.js viewers), one line
// per text item. Used by tests/test_fonts.c. Needs node and pdfjs-dist
// (`npm install --prefix tests/pdfjs`, run by scripts/deps.sh when npm is
// present). Usage: node tests/pdfjs/pdf_text.mjs FILE.pdf
import { readFileSync } from 'node:fs';
import { getDocument } from './node_modules/pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0, disableFontFace: true, useSystemFonts: false }).promise;
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const content = await page.getTextContent();
  for (const item of content.items) if (item.str !== undefined) process.stdout.write(item.str + (item.hasEOL ? '\n' : ''));
  process.stdout.write('\n');
}
