// The ward manager's home: the demo ward manager's timesheets waiting, oldest first, each with
// its deadline and the overdue one marked; a timesheet's page with the worker's times beside the
// booked ones, differences in words; approve one, query one (first without a reason, which is
// refused with nothing changed), and approve several at once. The worker sees who has their
// timesheet now and by when.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const MANAGER = 'ward.manager@northfield.staffbank.example';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const main = (page) => page.locator('main');
const items = (page) => page.locator('.app-waiting__item');

/** The worker sends the timesheet still owed (as booked) and answers the query (times unchanged). */
async function workerSends(token) {
  const due = await graphql(
    `{ myBookings(timesheetDue: true, first: 20) { nodes { id shift { startsAt endsAt breakMinutes } timesheet { startedAt endedAt breakMinutes } } } }`,
    {},
    token,
  );
  const sent = [];
  for (const b of due.myBookings.nodes) {
    const t = b.timesheet;
    const v = await graphql(
      `mutation($b:UUID!,$s:DateTime!,$e:DateTime!,$m:Int!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:$m){ id } }`,
      t
        ? { b: b.id, s: t.startedAt, e: t.endedAt, m: t.breakMinutes }
        : { b: b.id, s: b.shift.startsAt, e: b.shift.endsAt, m: b.shift.breakMinutes },
      token,
    );
    sent.push(v.submitTimesheet.id);
  }
  return sent;
}

async function waitingCount(page) {
  return items(page).count();
}

test('the ward manager approves one, queries one with a reason, and approves several at once', async () => {
  const worker = await apiToken();
  const sent = await workerSends(worker);
  assert.equal(sent.length, 2, 'the demo worker owed one timesheet and had one queried');

  // The worker sees that the ward manager has it, and by when.
  const w = await newPage(browser);
  await signIn(w);
  await w.goto(`/worker/timesheets/${sent[0]}`);
  await w.locator('.app-holder').waitFor();
  assert.match(await w.locator('.app-holder').innerText(), /The ward manager of .+ has it\. They should approve it by \w+day \d+ \w+ \d{4} at/);
  await look(w, 'worker-timesheet-with-ward-manager');

  const page = await newPage(browser);
  await signIn(page, MANAGER);
  await page.goto('/ward');
  await page.getByRole('heading', { level: 1, name: 'Timesheets waiting for you' }).waitFor();
  assert.equal(await waitingCount(page), 3);
  // Oldest first: the demo's timesheet sent days ago is overdue, said in words.
  const first = items(page).first();
  assert.match(await first.innerText(), /Overdue/);
  assert.match(await first.innerText(), /The deadline was/);
  assert.match(await items(page).nth(1).innerText(), /Decide by \w+day/);
  assert.doesNotMatch(await items(page).nth(1).innerText(), /Overdue/);
  await look(page, 'ward-home');

  // The overdue one: the worker stayed 15 minutes late.
  await first.getByRole('link', { name: /Check the times/ }).click();
  await page.getByRole('heading', { level: 1, name: /^Timesheet from / }).waitFor();
  const table = page.locator('table.app-compare');
  assert.match(await table.locator('caption').innerText(), /2 differences/);
  assert.match(await table.locator('tr', { hasText: 'Time worked' }).innerText(), /15 minutes more than booked/);
  const finish = table.locator('tr', { hasText: 'Finish' });
  assert.match(await finish.innerText(), /Different/);
  assert.match(await finish.innerText(), /15 minutes later than booked/);
  assert.match(await table.locator('tr', { hasText: 'Start' }).innerText(), /Same/);
  await look(page, 'ward-timesheet');
  await page.getByRole('button', { name: 'Approve this timesheet' }).click();
  await page.waitForURL(/\/ward\?approved=1$/);
  await page.getByText('1 timesheet approved').waitFor();
  assert.equal(await waitingCount(page), 2);
  await look(page, 'ward-approved-one');

  // Query one: without a reason it is refused and nothing changes; with one it goes back.
  await items(page).first().getByRole('link', { name: /Check the times/ }).click();
  await page.getByRole('heading', { level: 1, name: /^Timesheet from / }).waitFor();
  const url = page.url();
  await page.getByRole('button', { name: 'Query this timesheet' }).click();
  await assertErrors(page, ['Enter why you are querying the timesheet']);
  await look(page, 'ward-query-without-reason');
  await page.goto('/ward');
  assert.equal(await waitingCount(page), 2, 'nothing changed');
  await page.goto(url);
  await page.getByLabel('Why are you querying it?').fill('Your finish time is after the ward closed; please check it.');
  await page.getByRole('button', { name: 'Query this timesheet' }).click();
  await page.waitForURL(/\/ward\?queried=1$/);
  await page.getByText(/1 timesheet queried/).waitFor();
  assert.equal(await waitingCount(page), 1);

  // The worker answers; two wait again. Approving with none ticked is refused.
  await workerSends(worker);
  await page.goto('/ward');
  assert.equal(await waitingCount(page), 2);
  await page.getByRole('button', { name: 'Approve the timesheets ticked' }).click();
  await assertErrors(page, ['Choose at least one timesheet']);
  await look(page, 'ward-none-ticked');
  // Both at once.
  const boxes = page.locator('.app-waiting input[type=checkbox]');
  for (let i = 0; i < (await boxes.count()); i += 1) await boxes.nth(i).check();
  await page.getByRole('button', { name: 'Approve the timesheets ticked' }).click();
  await page.waitForURL(/\/ward\?approved=2$/);
  await page.getByText('2 timesheets approved').waitFor();
  await main(page).getByText('There are no timesheets waiting.').waitFor();
  await look(page, 'ward-approved-several');

  // The worker sees them approved.
  const states = await graphql('{ timesheets(first: 20) { nodes { state } } }', {}, worker);
  assert.equal(states.timesheets.nodes.filter((t) => t.state === 'SUBMITTED').length, 0);
  await page.context().close();
  await w.context().close();
});
