// The worker's timesheets: the demo worker's last fortnight has five worked shifts — timesheets
// approved for payment, approved, queried by the ward manager, waiting for the ward manager, and
// one not yet sent. They see each one's steps, get every kind of mistake explained on the form
// (with nothing sent), send the missing one through check-your-answers, and answer the query.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { SHOTS_DIR, WIDTHS, assertErrors, assertNoProblems, launch, look, newPage, signIn } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const main = (page) => page.locator('main');

/**
 * `look` for a page with JavaScript off: axe-core cannot run there (its promise never settles),
 * so only the screenshots are saved; the same pages are checked by axe with JavaScript on.
 */
async function lookNoScript(page, name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 360, height: 800 });
  assertNoProblems(page);
}

/** The tags shown in a section of the timesheets page (by its heading). */
async function tagsUnder(page, heading) {
  const section = page.locator('h2', { hasText: heading }).locator('xpath=following-sibling::ul[1]');
  return section.locator('.nhsuk-tag').allInnerTexts();
}

/** The statuses of a timesheet's steps, in order, as [name, status] pairs. */
async function steps(page) {
  const items = page.locator('.app-steps .nhsuk-task-list__item');
  const out = [];
  for (let i = 0; i < (await items.count()); i += 1) {
    const name = (await items.nth(i).locator('.nhsuk-task-list__name-and-hint > div').first().innerText()).trim();
    const status = (await items.nth(i).locator('.nhsuk-task-list__status').innerText()).trim();
    out.push([name, status]);
  }
  return out;
}

async function openTimesheet(page, tag) {
  await page.goto('/worker/timesheets');
  const exact = new RegExp(`^\\s*${tag}\\s*$`);
  const card = page.locator('.nhsuk-card', { has: page.locator('.nhsuk-tag', { hasText: exact }) }).first();
  await card.locator('a').first().click();
  await page.waitForURL(/\/worker\/timesheets\/[0-9a-f-]{36}$/);
}

test('the timesheets page lists the shift waiting for a timesheet and every timesheet with its state', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.goto('/worker/timesheets');
  await page.getByRole('heading', { level: 1, name: 'Timesheets' }).waitFor();
  await look(page, 'timesheets');

  assert.deepEqual((await tagsUnder(page, 'Waiting for you')).sort(), ['Not sent yet', 'Queried: needs your answer']);
  const notSent = page.locator('#due > li', { hasText: 'Not sent yet' });
  assert.match(await notSent.innerText(), /\w+day \d+ \w+ \d{4}, 7:30am to 3:30pm/, 'the booked shift, in words');
  assert.match(await notSent.innerText(), /Ward|Unit/);
  await notSent.getByRole('link', { name: /Send timesheet/ }).waitFor();
  const queried = page.locator('#due > li', { hasText: 'Queried' });
  await queried.getByRole('link', { name: /See the question and answer it/ }).waitFor();
  assert.deepEqual(
    (await tagsUnder(page, 'Timesheets you have sent')).sort(),
    ['Approved', 'Approved for payment', 'Waiting for approval'],
  );
  await page.context().close();
});

test('each timesheet shows where it is as steps, with dates, and its pay once approved for payment', async () => {
  const page = await newPage(browser);
  await signIn(page);

  await openTimesheet(page, 'Approved for payment');
  const paid = await steps(page);
  assert.deepEqual(paid.map(([n]) => n), [
    'Sent to the ward manager', 'Approved by the ward manager',
    'Approved for payment by the bank office', 'Sent to payroll',
  ]);
  assert.deepEqual(paid.map(([, s]) => s), ['Done', 'Done', 'Done', 'Waiting']);
  await page.locator('.app-steps .nhsuk-task-list__hint').first().waitFor();
  assert.match(await page.locator('.app-steps').innerText(), /\d{4} at \d/, 'each done step has its date');
  assert.match(await main(page).innerText(), /Standard hours|Nights and Saturdays|Sundays and bank holidays/);
  assert.match(await main(page).innerText(), /Total\s+£\d/);
  assert.match(await main(page).innerText(), /Ward/);
  await look(page, 'timesheet-approved-for-payment');

  await openTimesheet(page, 'Approved');
  assert.deepEqual((await steps(page)).map(([, s]) => s), ['Done', 'Done', 'Waiting', 'Not yet']);
  assert.match(await main(page).innerText(), /Your pay is worked out when the bank office approves/);
  await look(page, 'timesheet-approved');

  await openTimesheet(page, 'Waiting for approval');
  assert.deepEqual((await steps(page)).map(([, s]) => s), ['Done', 'Waiting', 'Not yet', 'Not yet']);
  await look(page, 'timesheet-submitted');

  await openTimesheet(page, 'Queried: needs your answer');
  assert.deepEqual((await steps(page)).map(([, s]) => s), ['Done', 'Queried', 'Not yet', 'Not yet']);
  await page.getByRole('heading', { name: 'The ward manager has queried this timesheet' }).waitFor();
  await page.getByText('please check the end time').waitFor();
  await look(page, 'timesheet-queried');
  await page.context().close();
});

test('mistakes on the timesheet form are explained field by field, the input kept, and nothing is sent', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.goto('/worker/timesheets');
  await page.locator('#due > li', { hasText: 'Not sent yet' }).getByRole('link', { name: /Send timesheet/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Send your timesheet' }).waitFor();
  const formUrl = page.url();
  // Prefilled from the booked shift.
  assert.equal(await page.getByLabel('Time you started').inputValue(), '07:30');
  assert.equal(await page.getByLabel('Time you finished').inputValue(), '15:30');
  assert.equal(await page.getByLabel('Unpaid break, in minutes').inputValue(), '30');
  await look(page, 'timesheet-form');

  const cont = () => page.getByRole('button', { name: 'Continue' }).click();
  const finishDay = page.locator('#end-day');

  // Missing.
  await page.getByLabel('Time you started').fill('');
  await finishDay.fill('');
  await page.locator('#end-month').fill('');
  await page.locator('#end-year').fill('');
  await page.getByLabel('Unpaid break, in minutes').fill('');
  await cont();
  await assertErrors(page, [
    'Enter the time you started',
    'Enter the date you finished',
    'Enter your unpaid break in minutes, or 0 if you did not have one',
  ]);
  await look(page, 'timesheet-form-missing');
  assert.equal(await page.getByLabel('Time you finished').inputValue(), '15:30', 'the rest is kept');

  // Reload the prefilled form for each further mistake.
  const fresh = async () => { await page.goto(formUrl); };

  await fresh();
  await page.getByLabel('Time you started').fill('25:70');
  await cont();
  await assertErrors(page, ['The time you started must be a real time, like 07:30 or 19:45']);
  assert.equal(await page.getByLabel('Time you started').inputValue(), '25:70');

  await fresh();
  await page.getByLabel('Time you finished').fill('06:00');
  await cont();
  await assertErrors(page, ['The time you finished must be after the time you started']);
  assert.equal(await page.getByLabel('Time you finished').inputValue(), '06:00');
  await look(page, 'timesheet-form-end-before-start');

  await fresh();
  await page.getByLabel('Unpaid break, in minutes').fill('600');
  await cont();
  await assertErrors(page, ['The break must be shorter than the time you were there (8 hours)']);
  assert.equal(await page.getByLabel('Unpaid break, in minutes').inputValue(), '600');

  await fresh();
  await page.getByLabel('Unpaid break, in minutes').fill('-5');
  await cont();
  await assertErrors(page, ['The break must be 0 minutes or more']);

  await fresh();
  await page.locator('#end-month').fill('13');
  await cont();
  await assertErrors(page, ['The date you finished must be a real date']);

  // Nothing was sent: the shift still waits for its timesheet.
  await page.goto('/worker/timesheets');
  assert.deepEqual((await tagsUnder(page, 'Waiting for you')).sort(), ['Not sent yet', 'Queried: needs your answer']);
  assert.deepEqual(
    (await tagsUnder(page, 'Timesheets you have sent')).sort(),
    ['Approved', 'Approved for payment', 'Waiting for approval'],
  );
  await page.context().close();
});

test('a worker sends the missing timesheet: check answers, change, send, confirmation', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.goto('/worker/timesheets');
  await page.locator('#due > li', { hasText: 'Not sent yet' }).getByRole('link', { name: /Send timesheet/ }).click();
  await page.getByLabel('Time you finished').fill('15:45');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { level: 1, name: 'Check your timesheet before sending it' }).waitFor();
  const answers = await page.locator('.nhsuk-summary-list').innerText();
  assert.match(answers, /Started\s+\w+day \d+ \w+ \d{4} at 7:30am/);
  assert.match(answers, /Finished\s+\w+day \d+ \w+ \d{4} at 3:45pm/);
  assert.match(answers, /Unpaid break\s+30 minutes/);
  assert.match(answers, /Time worked\s+7 hours 45 minutes/);
  await look(page, 'timesheet-check');

  // Change the break: the form comes back with every answer as it was.
  await page.getByRole('link', { name: 'Change your break' }).click();
  assert.equal(await page.getByLabel('Time you finished').inputValue(), '15:45');
  await page.getByLabel('Unpaid break, in minutes').fill('45');
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.match(await page.locator('.nhsuk-summary-list').innerText(), /Unpaid break\s+45 minutes/);
  assert.match(await page.locator('.nhsuk-summary-list').innerText(), /Time worked\s+7 hours 30 minutes/);

  await page.getByRole('button', { name: 'Send timesheet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Timesheet sent' }).waitFor();
  assert.match(await page.locator('.nhsuk-panel').innerText(), /7:30am to 3:45pm/);
  await look(page, 'timesheet-sent');

  await page.getByRole('link', { name: 'See where your timesheet is' }).click();
  assert.deepEqual((await steps(page)).map(([, s]) => s), ['Done', 'Waiting', 'Not yet', 'Not yet']);

  await page.goto('/worker/timesheets');
  assert.deepEqual(await tagsUnder(page, 'Waiting for you'), ['Queried: needs your answer']);
  assert.deepEqual(
    (await tagsUnder(page, 'Timesheets you have sent')).sort(),
    ['Approved', 'Approved for payment', 'Waiting for approval', 'Waiting for approval'],
  );
  await look(page, 'timesheets-after-sending');
  await page.context().close();
});

test('a worker answers a query by correcting the time and sending again (JavaScript off)', async () => {
  const page = await newPage(browser, { javaScript: false });
  await signIn(page);
  await openTimesheet(page, 'Queried: needs your answer');
  await page.getByRole('link', { name: 'Check and send again' }).click();
  await page.getByRole('heading', { level: 1, name: 'Send your timesheet' }).waitFor();
  await page.getByText('please check the end time').waitFor();
  assert.equal(await page.getByLabel('Time you finished').inputValue(), '15:45', 'the times sent before');
  await page.getByLabel('Time you finished').fill('15:30');
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.match(await page.locator('.nhsuk-summary-list').innerText(), /Finished\s+\w+day \d+ \w+ \d{4} at 3:30pm/);
  await page.getByRole('button', { name: 'Send timesheet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Timesheet sent' }).waitFor();
  await lookNoScript(page, 'timesheet-resent');
  await page.getByRole('link', { name: 'See where your timesheet is' }).click();
  assert.deepEqual((await steps(page)).map(([, s]) => s), ['Done', 'Waiting', 'Not yet', 'Not yet']);
  assert.equal(await page.getByText('The ward manager has queried this timesheet').count(), 0);

  await page.goto('/worker/timesheets');
  await page.getByText('You have no shifts waiting for a timesheet.').waitFor();
  assert.deepEqual(
    (await tagsUnder(page, 'Timesheets you have sent')).sort(),
    ['Approved', 'Approved for payment', 'Waiting for approval', 'Waiting for approval', 'Waiting for approval'],
  );
  await page.context().close();
});
