// The bank office's timesheets past their deadline: the demo worker's timesheet has waited for
// its ward manager for days, so it has escalated. The worker sees the bank office has it; the
// bank office finds it under /office/timesheets, is told what is missing when it queries none,
// and approves it on its page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the bank office approves a timesheet past its deadline; the worker saw it had it', async () => {
  const worker = await apiToken();
  const mine = await graphql('{ timesheets(first: 20) { nodes { id state holder escalatedAt } } }', {}, worker);
  const late = mine.timesheets.nodes.find((t) => t.state === 'SUBMITTED');
  assert.ok(late?.escalatedAt, 'the demo timesheet waiting for days has escalated');
  assert.equal(late.holder, 'BANK_OFFICE');

  const w = await newPage(browser);
  await signIn(w);
  await w.goto(`/worker/timesheets/${late.id}`);
  assert.match(
    await w.locator('.app-holder').innerText(),
    /did not approve it by the deadline, so the bank office at .+ has it now, to approve before the pay cut-off at the end of \w+day \d+ \w+ \d{4}\./,
  );
  await look(w, 'worker-timesheet-with-bank-office');

  const page = await newPage(browser);
  await signIn(page, OFFICE);
  await page.goto('/office/timesheets');
  await page.getByRole('heading', { level: 1, name: 'Timesheets past their deadline' }).waitFor();
  await page.getByRole('link', { name: 'Pay' }).first().waitFor();
  const rows = page.locator('.app-waiting__item');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Overdue/);
  await look(page, 'office-timesheets');

  // Querying none, without a reason: both said, nothing changes.
  await page.getByRole('button', { name: 'Query the timesheets ticked' }).click();
  await assertErrors(page, ['Choose at least one timesheet', 'Enter why you are querying the timesheet']);
  await look(page, 'office-timesheets-errors');

  await rows.first().getByRole('link', { name: /Check the times/ }).click();
  await page.getByRole('heading', { level: 1, name: /^Timesheet from / }).waitFor();
  await look(page, 'office-timesheet');
  await page.getByRole('button', { name: 'Approve this timesheet' }).click();
  await page.waitForURL(/\/office\/timesheets\?approved=1$/);
  await page.getByText('1 timesheet approved').waitFor();
  await page.getByText('There are no timesheets waiting past their deadline.').waitFor();
  await look(page, 'office-timesheets-done');

  const after = await graphql('query($t:UUID!){ timesheet(id:$t){ state holder } }', { t: late.id }, worker);
  assert.deepEqual(after.timesheet, { state: 'APPROVED', holder: 'BANK_OFFICE' });
  await page.context().close();
  await w.context().close();
});
