// Expected CVSS v4.0 scores from FIRST's reference calculator, for
// tests/analyze/cvss4_test.cc. Run once from the repository root; the output
// is committed, so the tests never need Node:
//
//   node tests/analyze/cvss4/generate.js > tests/analyze/cvss4/calculator_scores.tsv
//   node tests/analyze/cvss4/generate.js --all-base > tests/analyze/cvss4/all_base_scores.txt
//
// For a wider check that is not committed, `--seed N --times K` draws K
// times as many vectors from another seed (the test then reports the count
// as wrong but lists every score that differs):
//
//   node tests/analyze/cvss4/generate.js --seed 7 --times 100 > /tmp/wide.tsv
//
// The calculator is cvss40.js in tests/third_party/cvss-v4/ (FIRST's
// calculator logic, RedHatProductSecurity/cvss-v4-calculator). The vectors
// are drawn by a seeded generator (mulberry32, seed below), so a rerun
// prints the same file byte for byte.
//
// calculator_scores.tsv: one vector a line, tab-separated:
//   vector  score  severity  nomenclature  base-score
// where score is the calculator's score of the whole vector and base-score
// its score of the vector's eleven Base metrics alone (the CVSS-B score).
//
// all_base_scores.txt (--all-base): the score of every one of the 104,976
// Base vectors. One line per AV/AC/AT/PR/UI combination, in the order of
// Table 23's values ("AV:N/AC:L/AT:N/PR:N/UI:N"), followed by the scores in
// tenths (93 = 9.3) of the 729 VC/VI/VA/SC/SI/SA combinations, each metric
// running through its values in Table 23's order with SA fastest.
'use strict';
const path = require('path');
const { CVSS40, Vector } = require(path.join(__dirname, '../../third_party/cvss-v4/cvss40.js'));

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const SEED = option('--seed', 20231101);  // default: CVSS v4.0's publication date
const TIMES = option('--times', 1);
function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const pick = (values) => values[Math.floor(random() * values.length)];

// Table 23 of the specification, in its order and with its value order.
const BASE = [
  ['AV', ['N', 'A', 'L', 'P']], ['AC', ['L', 'H']], ['AT', ['N', 'P']], ['PR', ['N', 'L', 'H']],
  ['UI', ['N', 'P', 'A']], ['VC', ['H', 'L', 'N']], ['VI', ['H', 'L', 'N']], ['VA', ['H', 'L', 'N']],
  ['SC', ['H', 'L', 'N']], ['SI', ['H', 'L', 'N']], ['SA', ['H', 'L', 'N']],
];
const THREAT = [['E', ['X', 'A', 'P', 'U']]];
const ENVIRONMENTAL = [
  ['CR', ['X', 'H', 'M', 'L']], ['IR', ['X', 'H', 'M', 'L']], ['AR', ['X', 'H', 'M', 'L']],
  ['MAV', ['X', 'N', 'A', 'L', 'P']], ['MAC', ['X', 'L', 'H']], ['MAT', ['X', 'N', 'P']],
  ['MPR', ['X', 'N', 'L', 'H']], ['MUI', ['X', 'N', 'P', 'A']], ['MVC', ['X', 'N', 'L', 'H']],
  ['MVI', ['X', 'N', 'L', 'H']], ['MVA', ['X', 'N', 'L', 'H']], ['MSC', ['X', 'N', 'L', 'H']],
  ['MSI', ['X', 'N', 'L', 'H', 'S']], ['MSA', ['X', 'N', 'L', 'H', 'S']],
];
const SUPPLEMENTAL = [
  ['S', ['X', 'N', 'P']], ['AU', ['X', 'N', 'Y']], ['R', ['X', 'A', 'U', 'I']], ['V', ['X', 'D', 'C']],
  ['RE', ['X', 'L', 'M', 'H']], ['U', ['X', 'Clear', 'Green', 'Amber', 'Red']],
];

function score(vector) {
  const result = new CVSS40(vector);
  return { score: result.score.toFixed(1), severity: result.severity, nomenclature: result.vector.nomenclature };
}

if (process.argv.includes('--all-base')) {
  const prefixes = [[]];
  const expand = (lists, metrics) => {
    let out = lists;
    for (const [name, values] of metrics) {
      out = out.flatMap((parts) => values.map((value) => [...parts, `${name}:${value}`]));
    }
    return out;
  };
  const heads = expand(prefixes, BASE.slice(0, 5));
  const tails = expand(prefixes, BASE.slice(5));
  const lines = heads.map((head) => {
    const tenths = tails.map((tail) => Math.round(new CVSS40(`CVSS:4.0/${[...head, ...tail].join('/')}`).score * 10));
    return `${head.join('/')} ${tenths.join(' ')}`;
  });
  process.stdout.write(lines.join('\n') + '\n');
  process.exit(0);
}

// One random vector: every Base metric; each optional metric of the given
// groups present with probability `density` (Not Defined X included).
function randomVector(groups, density) {
  const parts = BASE.map(([name, values]) => `${name}:${pick(values)}`);
  for (const group of groups) {
    for (const [name, values] of group) {
      if (random() < density) parts.push(`${name}:${pick(values)}`);
    }
  }
  return `CVSS:4.0/${parts.join('/')}`;
}

const vectors = [];
for (let i = 0; i < 1500 * TIMES; ++i) vectors.push(randomVector([], 0));                        // CVSS-B
for (let i = 0; i < 400 * TIMES; ++i) vectors.push(randomVector([THREAT], 1));                   // CVSS-BT
for (let i = 0; i < 1200 * TIMES; ++i) vectors.push(randomVector([THREAT, ENVIRONMENTAL], 0.5)); // mixed
for (let i = 0; i < 600 * TIMES; ++i) vectors.push(randomVector([THREAT, ENVIRONMENTAL], 0.9));  // dense BTE
for (let i = 0; i < 300 * TIMES; ++i) vectors.push(randomVector([THREAT, ENVIRONMENTAL, SUPPLEMENTAL], 0.5));

const lines = vectors.map((vector) => {
  const full = score(vector);
  const base = score(vector.split('/').slice(0, 12).join('/'));
  return [vector, full.score, full.severity, full.nomenclature, base.score].join('\t');
});
process.stdout.write(lines.join('\n') + '\n');
