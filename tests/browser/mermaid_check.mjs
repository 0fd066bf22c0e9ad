// Parses and renders Mermaid files with the real Mermaid library in
// Chromium: node mermaid_check.mjs FILE.mmd... Exits 1 when any file fails,
// printing Mermaid's own error. A Markdown file is checked block by block
// (every ```mermaid fence).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { launch } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const mermaidJs = path.join(here, 'node_modules/mermaid/dist/mermaid.min.js');

function diagramsOf(file) {
  const text = readFileSync(file, 'utf8');
  if (!file.endsWith('.md')) return [text];
  const blocks = [];
  const fence = /```mermaid\n([\s\S]*?)```/g;
  let m;
  while ((m = fence.exec(text)) !== null) blocks.push(m[1]);
  return blocks;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node mermaid_check.mjs FILE...');
  process.exit(2);
}
const browser = await launch();
const page = await browser.newPage();
const alerts = [];
page.on('dialog', async (d) => { alerts.push(d.message()); await d.dismiss(); });
await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
await page.addScriptTag({ path: mermaidJs });
await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));

let failed = 0;
let checked = 0;
for (const file of files) {
  const diagrams = diagramsOf(file);
  if (diagrams.length === 0) {
    console.error(`${file}: no Mermaid diagram found`);
    failed++;
  }
  for (const [i, source] of diagrams.entries()) {
    const result = await page.evaluate(async ({ source, i }) => {
      try {
        await window.mermaid.parse(source);
        const { svg } = await window.mermaid.render(`d${i}_${Date.now()}`, source);
        return { ok: true, svg };
      } catch (e) {
        return { ok: false, error: String(e && e.message ? e.message : e) };
      }
    }, { source, i });
    checked++;
    if (!result.ok) {
      failed++;
      console.error(`${file} [diagram ${i + 1}]: ${result.error}`);
    } else if (/<script/i.test(result.svg)) {
      failed++;
      console.error(`${file} [diagram ${i + 1}]: rendered SVG contains a script element`);
    }
  }
}
if (alerts.length) {
  failed++;
  console.error(`a dialog was opened: ${alerts.join(', ')}`);
}
await browser.close();
console.log(`mermaid: ${checked - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
