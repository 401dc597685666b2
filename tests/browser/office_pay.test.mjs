// The bank office's pay, on the demo bank: the timesheets ward managers approved, approved for
// payment one at a time and several at once (with the mistake of choosing none explained); a pay
// period exported to payroll and its CSV downloaded (its rows add up to the total shown), the same
// period refused when nothing new is left; past exports listed with the same file; and the
// recharges this trust owes and is owed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';
const MANAGER = 'ward.manager@northfield.staffbank.example';
const HEADER = 'worker_id,worker_name,ni_number,cost_centre,work_date,hours,rate_code,rate,amount';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const checkboxes = (page) => page.locator('input[name="timesheet"]');

/** The ward manager approves the demo's waiting timesheet; the worker answers the queried one and
 * the ward manager approves it: two more for the bank office. */
async function twoMoreApproved() {
  const worker = await apiToken();
  const manager = await apiToken(MANAGER);
  const mine = await graphql('{ timesheets(first: 50){ nodes { id state bookingId startedAt endedAt breakMinutes } } }', {}, worker);
  const queried = mine.timesheets.nodes.find((t) => t.state === 'QUERIED');
  const waiting = mine.timesheets.nodes.find((t) => t.state === 'SUBMITTED');
  assert.ok(queried && waiting, 'the demo has a queried and a waiting timesheet');
  const again = await graphql(
    'mutation($b:UUID!,$s:DateTime!,$e:DateTime!,$m:Int!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:$m){ id state } }',
    { b: queried.bookingId, s: queried.startedAt, e: queried.endedAt, m: queried.breakMinutes },
    worker,
  );
  for (const id of [waiting.id, again.submitTimesheet.id]) {
    const v = await graphql('mutation($t:UUID!){ approveTimesheet(id:$t){ state } }', { t: id }, manager);
    assert.equal(v.approveTimesheet.state, 'APPROVED');
  }
}

test('the bank office approves timesheets for payment: none chosen is explained, then one, then several', async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICE);
  await page.goto('/office/pay');
  await page.getByRole('heading', { level: 1, name: 'Pay' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'timesheets past their deadline' }).getAttribute('href'), '/office/timesheets');
  assert.equal(await checkboxes(page).count(), 1, 'the demo timesheet the ward manager approved');
  const label = await page.locator('.nhsuk-checkboxes__item').first().innerText();
  assert.match(label, /: .*Ward|Unit/, 'the worker and the ward');
  assert.match(label, /Worked \d/, 'the times worked');
  await look(page, 'pay');

  await page.getByRole('button', { name: 'Approve chosen timesheets' }).click();
  await assertErrors(page, ['Select the timesheets to approve for payment']);
  assert.equal(await checkboxes(page).count(), 1, 'nothing was approved');
  await look(page, 'pay-error');

  await checkboxes(page).first().check();
  await page.getByRole('button', { name: 'Approve chosen timesheets' }).click();
  await page.waitForURL(/\/office\/pay\?approved=1&failed=0$/);
  await page.getByText('1 timesheet approved for payment').waitFor();
  assert.equal(await checkboxes(page).count(), 0);
  await page.getByText('No timesheets are waiting to be approved for payment').waitFor();
  await look(page, 'pay-approved-one');

  await twoMoreApproved();
  await page.goto('/office/pay');
  assert.equal(await checkboxes(page).count(), 2);
  await checkboxes(page).nth(0).check();
  await checkboxes(page).nth(1).check();
  await page.getByRole('button', { name: 'Approve chosen timesheets' }).click();
  await page.getByText('2 timesheets approved for payment').waitFor();
  assert.equal(await checkboxes(page).count(), 0);
  const office = await apiToken(OFFICE);
  const me = await graphql('{ me { roles { role trust { id } } } }', {}, office);
  const trustId = me.me.roles.find((g) => g.role === 'BANK_OFFICE').trust.id;
  const left = await graphql('query($t:UUID!){ timesheets(trustId:$t, state: APPROVED, first: 50){ nodes { id } } }', { t: trustId }, office);
  assert.equal(left.timesheets.nodes.length, 0, 'the API agrees: none waits');
  await page.context().close();
});

test('the bank office exports a pay period, downloads its CSV, finds it in past exports, and cannot export it twice', async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICE);
  await page.goto('/office/pay');
  await page.getByRole('link', { name: 'Export payroll' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Export payroll' }).waitFor();
  await look(page, 'export');
  const period = await page.getByLabel('Pay period').inputValue();
  const periodWords = (await page.getByLabel('Pay period').locator('option:checked').innerText()).trim();
  assert.match(period, /^\d{4}-\d{2}$/);
  await page.getByRole('button', { name: 'Export payroll' }).click();
  await page.waitForURL(/\/office\/pay\/exports\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: `Payroll export for ${periodWords}` }).waitFor();
  const lines = Number((await page.locator('dt', { hasText: 'Pay lines' }).locator('xpath=following-sibling::dd').innerText()).match(/\d+/)[0]);
  const total = (await page.locator('dt', { hasText: 'Total' }).locator('xpath=following-sibling::dd').innerText()).trim();
  assert.ok(lines > 0, 'the approved timesheets have pay lines');
  await look(page, 'export-made');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the CSV file' }).click(),
  ]);
  assert.match(download.suggestedFilename(), new RegExp(`^payroll-${period}-made-.*\\.csv$`));
  const csv = readFileSync(await download.path(), 'utf8');
  const rows = csv.trim().split('\n');
  assert.equal(rows[0], HEADER);
  assert.equal(rows.length - 1, lines, 'one row per pay line');
  const pence = rows.slice(1).reduce((sum, r) => sum + Math.round(Number(r.split(',').at(-1)) * 100), 0);
  assert.equal(`£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`, total, 'the rows add up to the total shown');

  // Past exports: the new one, newest first, with the very same file.
  await page.goto('/office/pay/exports');
  await page.getByRole('heading', { level: 1, name: 'Past payroll exports' }).waitFor();
  const first = page.locator('#exports tbody tr').first();
  assert.match(await first.innerText(), new RegExp(periodWords));
  assert.match(await first.innerText(), new RegExp(total.replace('.', '\\.')));
  const href = await first.getByRole('link', { name: /Download CSV/ }).getAttribute('href');
  const again = await page.request.get(href);
  assert.equal(again.status(), 200);
  assert.match(again.headers()['content-type'], /^text\/csv/);
  assert.equal(await again.text(), csv, 'the same file as when it was made');
  await look(page, 'exports');

  // Nothing new is left in that period.
  await page.goto('/office/pay/export');
  await page.getByLabel('Pay period').selectOption(period);
  await page.getByRole('button', { name: 'Export payroll' }).click();
  await assertErrors(page, [`There is nothing new to export for ${periodWords}: every line approved for payment has been exported already`]);
  assert.equal(await page.getByLabel('Pay period').inputValue(), period, 'the choice is kept');
  await look(page, 'export-error');
  await page.context().close();
});

test('the bank office sees what its trust owes and is owed in recharges for a pay period', async () => {
  const page = await newPage(browser);
  await signIn(page, OFFICE);
  await page.goto('/office/pay/recharges');
  await page.getByRole('heading', { level: 1, name: 'Recharges between trusts' }).waitFor();
  await page.locator('#net').waitFor();
  assert.match(await page.locator('#net').innerText(), /^(Overall, other trusts owe you £[\d,]+\.\d\d|Overall, you owe other trusts £[\d,]+\.\d\d|Nothing is owed either way in \w+ \d{4})$/);
  await page.getByRole('heading', { name: 'What you owe other trusts' }).waitFor();
  await page.getByRole('heading', { name: 'What other trusts owe you' }).waitFor();
  await look(page, 'recharges');
  // Another period, chosen with the form (a GET: the address says which).
  const options = await page.getByLabel('Pay period').locator('option').evaluateAll((os) => os.map((o) => o.value));
  await page.getByLabel('Pay period').selectOption(options.at(-1));
  await page.getByRole('button', { name: 'Show recharges' }).click();
  await page.waitForURL(new RegExp(`period=${options.at(-1)}`));
  assert.equal(await page.getByLabel('Pay period').inputValue(), options.at(-1));
  await page.context().close();
});
