// The bank office's reports, on the demo bank: the last four weeks by default; every chart an
// SVG image with a name, drawn without JavaScript, its numbers in a table beside it that match
// the API's own figures, and the same numbers as a CSV download; a range typed wrongly is
// explained with nothing lost; another range chosen with the date inputs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { SHOTS_DIR, WIDTHS, apiToken, assertErrors, assertNoProblems, graphql, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';
const SECTIONS = ['fill-rate', 'time-to-fill', 'fills-by-tier', 'spend-by-ward', 'spend-by-staff-group', 'cancellations'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The rows of a section's table, as arrays of cell texts. */
async function tableOf(page, slug) {
  return page.locator(`#${slug} table tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.children).map((c) => c.innerText.trim())));
}

const iso = (d) => d.toISOString().slice(0, 10);

test('the reports show six charts, each with its numbers in a table and a CSV, matching the API', async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICE);
  await page.goto('/office/reports');
  await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  await look(page, 'reports');

  // The last four weeks, as the boxes say.
  const box = (id) => page.locator(`#${id}`).inputValue();
  const from = `${await box('from-year')}-${(await box('from-month')).padStart(2, '0')}-${(await box('from-day')).padStart(2, '0')}`;
  const to = `${await box('to-year')}-${(await box('to-month')).padStart(2, '0')}-${(await box('to-day')).padStart(2, '0')}`;
  assert.equal((Date.parse(to) - Date.parse(from)) / 86400000, 27, 'four weeks, today included');

  for (const slug of SECTIONS) {
    const chart = page.locator(`#${slug} svg[role="img"]`);
    assert.equal(await chart.count(), 1, `${slug} has one chart`);
    const name = await chart.evaluate((svg) => document.getElementById(svg.getAttribute('aria-labelledby')).textContent);
    assert.ok(name.length > 3, `${slug}'s chart has a name`);
    assert.ok((await page.locator(`#${slug} table caption`).innerText()).includes(name), 'the table says which chart it is');
    // Bars are as many as the table's rows.
    assert.equal(await chart.locator('rect').count(), (await tableOf(page, slug)).length, `${slug}: a bar per row`);
  }

  // The numbers are the API's.
  const office = await apiToken(OFFICE);
  const me = await graphql('{ me { roles { role trust { id } } } }', {}, office);
  const trustId = me.me.roles.find((g) => g.role === 'BANK_OFFICE').trust.id;
  const api = (await graphql(
    'query($t:UUID!,$f:NaiveDate!,$to:NaiveDate!){ trustReport(trustId:$t, from:$f, to:$to){ positions positionsFilled spend weeks { startsOn figures { positions positionsFilled } } fillsByTier { fills } wards { ward { name } figures { spend } } } }',
    { t: trustId, f: from, to },
    office,
  )).trustReport;
  assert.ok(api.positions > 0, 'the demo has shifts in the last four weeks');
  const fill = await tableOf(page, 'fill-rate');
  assert.deepEqual(fill.map((r) => [Number(r[1]), Number(r[2])]), api.weeks.map((w) => [w.figures.positions, w.figures.positionsFilled]));
  const tiers = await tableOf(page, 'fills-by-tier');
  assert.deepEqual(tiers.map((r) => Number(r[1])), api.fillsByTier.map((t) => t.fills));
  const wards = await tableOf(page, 'spend-by-ward');
  assert.deepEqual(
    wards.map((r) => [r[0], r[2]]),
    api.wards.map((w) => [w.ward.name, `£${Number(w.figures.spend).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`]),
  );
  assert.match(await page.locator('#headlines').innerText(), new RegExp(`${api.positionsFilled} of ${api.positions}`));

  // Each CSV holds the same numbers as its table.
  for (const slug of SECTIONS) {
    const href = await page.locator(`#${slug} a[download]`).getAttribute('href');
    const res = await page.request.get(href);
    assert.equal(res.status(), 200, `${href}: ${(await res.text()).slice(0, 300)}`);
    assert.match(res.headers()['content-type'], /^text\/csv/);
    assert.equal(res.headers()['content-disposition'], `attachment; filename="${slug}-${from}-to-${to}.csv"`);
    const lines = (await res.text()).trim().split('\n');
    assert.equal(lines.length - 1, (await tableOf(page, slug)).length, `${slug}: a CSV row per table row`);
    if (slug === 'fill-rate') {
      assert.equal(lines[0], 'week_starting,positions,filled,fill_rate');
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(',').slice(0, 3)),
        api.weeks.map((w) => [w.startsOn, String(w.figures.positions), String(w.figures.positionsFilled)]),
      );
    }
  }
  await page.context().close();
});

test('a range typed wrongly is explained, with what was typed kept; another range shows its weeks', async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICE);
  await page.goto('/office/reports');
  await page.locator('#from-day').fill('31');
  await page.locator('#from-month').fill('2');
  await page.locator('#to-year').fill('');
  await page.getByRole('button', { name: 'Show report' }).click();
  await assertErrors(page, ['The first day must be a real date', 'The last day must be a real date']);
  assert.equal(await page.locator('#from-day').inputValue(), '31');
  assert.equal(await page.locator('main svg[role="img"]').count(), 0, 'no charts for a wrong range');
  await look(page, 'reports-error');

  // The last day before the first.
  const today = new Date();
  await page.goto('/office/reports');
  await page.locator('#to-year').fill(String(today.getFullYear() - 1));
  await page.getByRole('button', { name: 'Show report' }).click();
  await assertErrors(page, ['The last day must be the same as or after the first day']);

  // One week, Monday to Sunday, two weeks ago.
  const monday = new Date(today);
  monday.setUTCDate(today.getUTCDate() - ((today.getUTCDay() + 6) % 7) - 14);
  const sunday = new Date(monday);
  sunday.setUTCDate(monday.getUTCDate() + 6);
  await page.goto('/office/reports');
  for (const [id, d] of [['from', monday], ['to', sunday]]) {
    await page.locator(`#${id}-day`).fill(String(d.getUTCDate()));
    await page.locator(`#${id}-month`).fill(String(d.getUTCMonth() + 1));
    await page.locator(`#${id}-year`).fill(String(d.getUTCFullYear()));
  }
  await page.getByRole('button', { name: 'Show report' }).click();
  await page.locator('#fill-rate svg').waitFor();
  assert.equal((await tableOf(page, 'fill-rate')).length, 1, 'one week');
  const href = await page.locator('#fill-rate a[download]').getAttribute('href');
  assert.equal(href, `/office/reports/csv/fill-rate?from=${iso(monday)}&to=${iso(sunday)}`);
  await page.context().close();
});

test('the charts are drawn by the server: the reports page without JavaScript shows the same', async () => {
  const page = await newPage(browser, { javaScript: false });
  await signIn(page, OFFICE);
  await page.goto('/office/reports');
  assert.equal(await page.locator('main svg[role="img"]').count(), SECTIONS.length);
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(SHOTS_DIR, `reports-no-javascript-${width}.png`), fullPage: true });
  }
  assertNoProblems(page);
  await page.context().close();
});
