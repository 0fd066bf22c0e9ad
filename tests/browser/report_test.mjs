// The HTML report in a real browser (Debian's Chromium through
// playwright-core): row order, filters, sorting, the DFD click, the
// injection model shown literally with no script run and no request made.
// usage: node report_test.mjs OUT_DIR   (OUT_DIR holds payments.html,
// web-login.html and injection.html; screenshots are written there)
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const dir = process.argv[2];
if (!dir) { console.error('usage: node report_test.mjs OUT_DIR'); process.exit(2); }
const browser = await launch();
let passed = 0, failed = 0;

async function open(name, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const url = pathToFileURL(path.join(dir, name)).href;
  const requests = [], dialogs = [], errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  return { page, url, requests, dialogs, errors };
}

async function check(name, fn) {
  try { await fn(); passed++; console.log(`ok - ${name}`); }
  catch (e) { failed++; console.log(`not ok - ${name}\n  ${String(e.message || e).split('\n').join('\n  ')}`); }
}

const visibleIds = (page) => page.$$eval('#threat-table tbody tr', (rows) => rows.filter((r) => !r.hidden).map((r) => r.cells[1].textContent));

await check('payments: rows in ranked order', async () => {
  const { page, requests, errors } = await open('payments.html');
  const ids = await visibleIds(page);
  assert.equal(ids.length, 9);
  assert.deepEqual(ids.filter((id) => /^T\d$/.test(id)), ['T1', 'T2', 'T3', 'T4', 'T5']);
  assert.equal(ids[0], 'T1');
  assert.equal(ids[8], 'TMC-POISON-MESSAGE:worker');
  const risks = await page.$$eval('#threat-table tbody tr', (rows) => rows.map((r) => Number(r.cells[7].textContent)));
  assert.deepEqual(risks.slice(0, 5), [9, 6, 4, 3, 3]);
  assert.equal(await page.textContent('#verdict'), 'Done: the top of the list is mitigated or explicitly accepted.');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), []);
  await page.screenshot({ path: path.join(dir, 'payments.png'), fullPage: true });
  await page.close();
});

await check('payments: filters by bucket, status, STRIDE and text', async () => {
  const { page } = await open('payments.html');
  await page.selectOption('#f-bucket', 'watch');
  assert.deepEqual(await visibleIds(page), ['T5', 'TMC-EXTERNAL-TIMEOUT:charge', 'TMC-PII-RETENTION:audit_log', 'TMC-POISON-MESSAGE:worker']);
  await page.selectOption('#f-bucket', '');
  await page.selectOption('#f-status', 'finding');
  assert.equal((await visibleIds(page)).length, 4);
  await page.selectOption('#f-status', 'accepted');
  assert.deepEqual(await visibleIds(page), ['T4']);
  await page.selectOption('#f-status', '');
  await page.selectOption('#f-stride', 'S');
  assert.deepEqual(await visibleIds(page), ['T2', 'T5']);
  await page.selectOption('#f-stride', '');
  await page.fill('#f-text', 'poisoned');
  assert.deepEqual(await visibleIds(page), ['T3']);
  assert.equal(await page.textContent('#result-count'), '1 of 9 rows');
  await page.click('#f-reset');
  assert.equal((await visibleIds(page)).length, 9);
  // Keyboard: the filters are ordinary form controls.
  await page.focus('#f-bucket');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.$eval('#f-bucket', (s) => s.value), 'fix-now');
  await page.close();
});

await check('payments: sorting by risk and by id', async () => {
  const { page } = await open('payments.html');
  const riskHeader = page.locator('#threat-table thead th:nth-child(8) button');
  await riskHeader.click();
  let risks = await page.$$eval('#threat-table tbody tr', (rows) => rows.map((r) => Number(r.cells[7].textContent)));
  assert.equal(risks[0], 2);
  assert.deepEqual(risks, [...risks].sort((a, b) => a - b));
  assert.equal(await page.getAttribute('#threat-table thead th:nth-child(8)', 'aria-sort'), 'ascending');
  await riskHeader.click();
  risks = await page.$$eval('#threat-table tbody tr', (rows) => rows.map((r) => Number(r.cells[7].textContent)));
  assert.equal(risks[0], 9);
  await page.locator('#threat-table thead th:nth-child(2) button').click();
  const ids = await visibleIds(page);
  assert.deepEqual(ids, [...ids].sort((a, b) => a.localeCompare(b)));
  await page.close();
});

await check('payments: clicking a DFD element filters the table, a row links to the DFD', async () => {
  const { page } = await open('payments.html');
  await page.click('#el-worker');
  assert.equal(await page.$eval('#f-target', (s) => s.value), 'worker');
  const rows = await page.$$eval('#threat-table tbody tr', (rs) => rs.filter((r) => !r.hidden).map((r) => [r.cells[1].textContent, r.dataset.targets]));
  assert.ok(rows.length >= 2, `rows: ${JSON.stringify(rows)}`);
  assert.ok(rows.some(([id]) => id === 'T3'));
  for (const [, targets] of rows) assert.ok(targets.split(' ').includes('worker'), targets);
  assert.ok(await page.$eval('#el-worker', (g) => g.classList.contains('selected')));
  await page.click('#el-worker');  // a second click clears the filter
  assert.equal((await visibleIds(page)).length, 9);
  await page.click('#row-T1 a.target');
  assert.ok(await page.$eval('#el-api', (g) => g.classList.contains('selected')));
  assert.ok(page.url().endsWith('#el-api'));
  await page.close();
});

await check('web-login: credential stuffing scores 20 in P0; the model is not done', async () => {
  const { page } = await open('web-login.html');
  const t1 = await page.$eval('#row-T1', (r) => [r.cells[7].textContent, r.dataset.bucket, r.cells[9].textContent]);
  assert.deepEqual(t1, ['20', 'P0', 'open']);
  const first = await visibleIds(page);
  assert.equal(first[0], 'T1');
  assert.match(await page.textContent('#verdict'), /^Not done: 4 open items in the top bucket\.$/);
  await page.screenshot({ path: path.join(dir, 'web-login.png'), fullPage: true });
  await page.close();
});

await check('phone width: no horizontal overflow of the page', async () => {
  const { page } = await open('web-login.html', { width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: path.join(dir, 'web-login-phone.png') });
  await page.close();
});

await check('injection: text shown literally, no script run, no request', async () => {
  const { page, url, requests, dialogs, errors } = await open('injection.html');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(requests, [url]);
  const title = await page.textContent('h1');
  assert.ok(title.includes("<script>window.__pwned=1;alert('title')</script>"), title);
  const row = await page.textContent('#row-T1');
  assert.ok(row.includes('=1+1 <script>window.__pwned=8</script>'), row);
  assert.ok(row.includes('javascript:window.__pwned=9 <a href="javascript:alert(1)">x</a>'), row);
  assert.equal(await page.$$eval('script', (s) => s.length), 1);
  assert.equal(await page.$$eval('img, iframe, object, embed', (s) => s.length), 0);
  assert.equal(await page.$$eval('a[href^="javascript:"]', (s) => s.length), 0);
  assert.ok(await page.evaluate(() => getComputedStyle(document.body).display !== 'none'));
  const svgText = await page.textContent('.dfd svg');
  assert.ok(svgText.includes('<img src=x onerror=window.__pwned=6>'), svgText);
  // The page's own script still works under the CSP.
  await page.selectOption('#f-status', 'finding');
  assert.ok((await visibleIds(page)).length > 0);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(dir, 'injection.png'), fullPage: true });
  await page.close();
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
