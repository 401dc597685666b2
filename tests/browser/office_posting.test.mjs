// The bank office posts a shift: a first try with mistakes (every one explained, the answers
// kept), then a night shift on Ward 14 that the API itself refuses (a grade outside the staff
// group), corrected; the check-your-answers page, a change made from it (keeping everything
// else), and the confirmation linking to the shift and to post another. The shift is then in the
// trust's list through the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A London date some days from now, as [day, month, year]. */
function daysAhead(n) {
  const d = new Date(Date.now() + n * 86400000);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' })
    .formatToParts(d);
  const get = (t) => parts.find((p) => p.type === t).value;
  return [get('day'), get('month'), get('year')];
}

test('a bank office posts a night shift through check your answers', async () => {
  const page = await newPage(browser, { width: 1280 });
  await signIn(page, OFFICE, DEMO_PASSWORD);
  await page.goto('/office/shifts/new');
  await page.getByRole('heading', { level: 1, name: 'Post a shift' }).waitFor();
  await look(page, 'office-post-shift');

  // Nothing chosen, a date that does not exist, a time that is not one.
  await page.getByLabel('Day').fill('31');
  await page.getByLabel('Month').fill('2');
  await page.getByLabel('Year').fill('2027');
  await page.getByLabel('Start time').fill('25:00');
  await page.getByLabel('End time').fill('08:00');
  await page.getByLabel('Other grades you would accept (optional)').fill('Band 44');
  await page.getByRole('button', { name: 'Continue' }).click();
  await assertErrors(page, [
    'Select the ward the shift is on',
    'Select the staff group',
    'Select the grade the shift is for',
    "'Band 44' is not a grade. Enter grades like Band 4 or ST3, separated by commas",
    'The date the shift starts must be a real date',
    'The time the shift starts must be a real time, like 07:30 or 19:45',
    'Enter the unpaid break in minutes, or 0 if there is none',
    'Select why the shift is needed',
  ]);
  assert.equal(await page.getByLabel('End time').inputValue(), '08:00', 'what was typed is kept');
  assert.equal(await page.getByLabel('Day').inputValue(), '31');
  await look(page, 'office-post-shift-errors');

  // A grade of another staff group: the form cannot know, the API says so.
  const [day, month, year] = daysAhead(9);
  const wards = await page.locator('#ward option').allInnerTexts();
  await page.getByLabel('Ward', { exact: true }).selectOption({ label: wards.find((o) => o.startsWith('Ward 14')) });
  await page.getByLabel('Staff group').selectOption('NURSING_MIDWIFERY_REGISTERED');
  await page.getByLabel('Grade', { exact: true }).selectOption('ST3');
  await page.getByLabel('Other grades you would accept (optional)').fill('band 4');
  await page.getByLabel('Day').fill(day);
  await page.getByLabel('Month').fill(month);
  await page.getByLabel('Year').fill(year);
  await page.getByLabel('Start time').fill('20:00');
  await page.getByLabel('Unpaid break, in minutes').fill('60');
  await page.getByLabel('Covering sickness').check();
  await page.getByLabel('Skills needed (optional)').fill('Dementia care');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check the shift before posting it' }).waitFor();
  await page.getByRole('button', { name: 'Post shift' }).click();
  await assertErrors(page, ['Grade ST3 is not a grade of the staff group NURSING_MIDWIFERY_REGISTERED']);
  assert.equal(await page.getByLabel('Start time').inputValue(), '20:00', 'kept after the API refused');

  await page.getByLabel('Grade', { exact: true }).selectOption('BAND_5');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check the shift before posting it' }).waitFor();
  const summary = page.locator('.nhsuk-summary-list');
  const text = await summary.innerText();
  assert.match(text, /Ward 14 \(elderly care\)/);
  assert.match(text, /\w+day \d+ \w+ \d{4}, 8pm to 8am on \w+day \d+ \w+/, 'a night ends the next day');
  assert.match(text, /Band 5/);
  assert.match(text, /Band 4/);
  assert.match(text, /Dementia care, and the ward's own \(Elderly care\)/);
  assert.match(text, /Covering sickness/);
  await look(page, 'office-post-shift-check');

  // Change the number of workers; everything else stays.
  await page.getByRole('link', { name: 'Change how many workers' }).click();
  await page.getByRole('heading', { level: 1, name: 'Post a shift' }).waitFor();
  assert.equal(await page.getByLabel('Start time').inputValue(), '20:00');
  assert.equal(await page.getByLabel('Grade', { exact: true }).inputValue(), 'BAND_5');
  await page.getByLabel('How many workers are needed?').fill('2');
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.match(await page.locator('.nhsuk-summary-list').innerText(), /Workers needed\s+2/);
  await page.getByRole('button', { name: 'Post shift' }).click();

  await page.getByRole('heading', { level: 1, name: 'Shift posted' }).waitFor();
  assert.match(await page.locator('.nhsuk-panel').innerText(), /Ward 14 \(elderly care\)/);
  assert.match(await page.locator('main').innerText(), /Band 5, 2 workers needed/);
  const href = await page.getByRole('link', { name: 'See the shift' }).getAttribute('href');
  assert.match(href, /^\/office\/shifts\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: 'Post another shift' }).waitFor();
  await look(page, 'office-post-shift-posted');

  // The shift is there for any API client.
  const token = await apiToken(OFFICE, DEMO_PASSWORD);
  const id = href.split('/').pop();
  const answer = await graphql('query($id: UUID!) { shift(id: $id) { grade positions breakMinutes startsLocal endsLocal skills fallbackGrades } }', { id }, token);
  assert.equal(answer.shift.positions, 2);
  assert.equal(answer.shift.breakMinutes, 60);
  assert.match(answer.shift.startsLocal, /T20:00:00$/);
  assert.match(answer.shift.endsLocal, /T08:00:00$/);
  assert.deepEqual(answer.shift.fallbackGrades, ['BAND_4']);
  assert.deepEqual([...answer.shift.skills].sort(), ['DEMENTIA_CARE', 'ELDERLY_CARE']);
  await page.context().close();
});

test('on a phone the form is one column and the errors are at the top', async () => {
  const page = await newPage(browser, { width: 360 });
  await signIn(page, OFFICE, DEMO_PASSWORD);
  await page.goto('/office/shifts/new');
  await page.getByRole('button', { name: 'Continue' }).click();
  const first = page.locator('.nhsuk-error-summary li a').first();
  await first.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'ward', 'the first error link goes to its field');
  await page.context().close();
});

test('a ward manager cannot post shifts', async () => {
  const page = await newPage(browser);
  await signIn(page, 'ward.manager@northfield.staffbank.example', DEMO_PASSWORD);
  const response = await page.goto('/office/shifts/new');
  assert.equal(response.status(), 403);
  await page.getByRole('heading', { name: 'You cannot see this page' }).waitFor();
  await page.context().close();
});
