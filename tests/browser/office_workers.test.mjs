// The bank office finds workers in the bank and looks after one: search by name, staff group,
// grade and skill (and a wrong filter explained); a worker registered at another trust seen in
// summary only; asking to engage them, then waiting; the worker accepting (through the API, as
// them) and the page showing their contact details, credentials and compliance; blocking with
// an empty reason (refused), then with one, then lifting it; adding them to a ward's preferred
// list and removing them.
//
// The Rust side picks the worker (WORKER_ID, WORKER_NAME) and gives the journey their sign-in
// token (WORKER_TOKEN) and the office's trust (TRUST_ID).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';
const { WORKER_ID, WORKER_NAME, WORKER_TOKEN, TRUST_ID } = process.env;
let browser;
let page;
let token;
let worker;

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  await signIn(page, OFFICE);
  token = await apiToken(OFFICE);
  worker = (await graphql(
    'query($w:UUID!){ worker(id:$w){ givenName familyName staffGroup grade skills } }',
    { w: WORKER_ID }, token,
  )).worker;
});
after(async () => { await browser?.close(); });

/** The names in the results table. */
async function results() {
  return page.locator('.app-workers .app-worker-name').allInnerTexts();
}

test('the office searches the bank by name, staff group, grade and skill', async () => {
  await page.goto('/office');
  await page.getByRole('link', { name: 'Workers' }).first().click();
  await page.getByRole('heading', { name: 'Find a worker' }).waitFor();
  assert.ok((await results()).length > 0, 'everyone listed before searching');
  await look(page, 'office-workers');

  await page.getByLabel('Name').fill(worker.familyName);
  await page.getByRole('button', { name: 'Search' }).click();
  const byName = await results();
  assert.ok(byName.includes(WORKER_NAME), `${WORKER_NAME} found by surname`);
  assert.ok(byName.every((n) => n.toLowerCase().includes(worker.familyName.toLowerCase())));
  assert.equal(await page.getByLabel('Name').inputValue(), worker.familyName, 'what was typed stays');

  await page.getByLabel('Name').fill('');
  await page.getByLabel('Staff group').selectOption({ index: 1 + 0 });
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('.app-workers, h2:has-text("No workers found")').first().waitFor();

  await page.goto(`/office/workers?grade=${encodeURIComponent(worker.grade)}`);
  const byGrade = await results();
  assert.ok(byGrade.includes(WORKER_NAME), 'found by grade');
  const api = await graphql(
    'query($g:String){ workers(grade:$g, first:20){ nodes { id } } }', { g: worker.grade }, token,
  );
  assert.equal(byGrade.length, api.workers.nodes.length, 'the page lists what the API finds');

  if (worker.skills.length > 0) {
    await page.goto(`/office/workers?skill=${encodeURIComponent(worker.skills[0])}`);
    assert.ok((await results()).includes(WORKER_NAME), 'found by skill');
  }
  await page.goto('/office/workers?skill=NO_SUCH_SKILL_HELD');
  await page.getByRole('heading', { name: 'No workers found' }).waitFor();
  await look(page, 'office-workers-none');
});

test('a wrong filter is explained, and what was typed is kept', async () => {
  await page.goto('/office/workers');
  await page.getByLabel('Name').fill('x'.repeat(101));
  await page.getByRole('button', { name: 'Search' }).click();
  await assertErrors(page, ['Name must be 100 characters or fewer']);
  assert.equal((await page.getByLabel('Name').inputValue()).length, 101);
  await look(page, 'office-workers-error');

  await page.goto('/office/workers?group=surgeons');
  await assertErrors(page, ['Select a staff group from the list']);

  await page.goto('/office/workers?grade=BAND_99');
  await assertErrors(page, ['Enter a grade of the staff group, like BAND_5 or ST3']);
  assert.equal(await page.getByLabel('Grade').inputValue(), 'BAND_99');
});

test('a worker not engaged here: summary only, ask to engage, then waiting', async () => {
  await page.goto(`/office/workers?name=${encodeURIComponent(worker.familyName)}`);
  await page.getByRole('link', { name: WORKER_NAME }).first().click();
  await page.getByRole('heading', { name: WORKER_NAME }).waitFor();
  assert.match(await page.locator('.app-engagement').innerText(), /Not engaged at /);
  assert.equal(await page.getByText('Email').count(), 0, 'no contact details before consent');
  await look(page, 'office-worker-summary');

  await page.getByRole('link', { name: 'Ask to engage' }).click();
  await page.getByRole('heading', { name: new RegExp(`^Ask ${WORKER_NAME} to work at`) }).waitFor();
  await look(page, 'office-worker-engage');
  await page.getByRole('button', { name: 'Send the request' }).click();
  assert.match(await page.locator('.app-done').innerText(), /They have been emailed/);
  assert.match(await page.locator('.app-engagement').innerText(), /Asked on .+; waiting for them to accept/);
  assert.equal(await page.getByRole('link', { name: 'Ask to engage' }).count(), 0);
  await look(page, 'office-worker-waiting');
});

test('once the worker accepts, the page shows their full record', async () => {
  await graphql(
    'mutation($t:UUID!){ acceptEngagement(trustId:$t){ consent } }', { t: TRUST_ID }, WORKER_TOKEN,
  );
  await page.goto(`/office/workers/${WORKER_ID}`);
  assert.match(await page.locator('.app-engagement').innerText(), /Engaged/);
  await page.locator('dt', { hasText: 'Email' }).waitFor();
  await page.getByRole('heading', { name: 'Credentials' }).waitFor();
  assert.match(await page.locator('.app-compliance').innerText(), /requirements/);
  await look(page, 'office-worker-engaged');
});

test('block needs a reason; blocked, then lifted', async () => {
  await page.goto(`/office/workers/${WORKER_ID}`);
  await page.getByRole('button', { name: 'Block' }).click();
  await assertErrors(page, ['Enter why you are blocking them']);
  await look(page, 'office-worker-block-error');
  await page.getByLabel('Why are you blocking them?').fill('Did not follow the ward\'s infection control');
  await page.getByRole('button', { name: 'Block' }).click();
  assert.match(await page.locator('.app-block').innerText(), /Blocked.*infection control/s);
  await look(page, 'office-worker-blocked');
  const r = await graphql(
    'query($t:UUID!){ workerRestrictions(trustId:$t){ worker { id } } }', { t: TRUST_ID }, token,
  );
  assert.ok(r.workerRestrictions.some((x) => x.worker?.id === WORKER_ID), 'the API has the block');
  await page.getByRole('button', { name: 'Lift block' }).click();
  assert.match(await page.locator('.app-done').innerText(), /block on .* is lifted/);
  assert.equal(await page.locator('.app-block').count(), 0);
});

test("a ward's preferred list: add, then remove", async () => {
  await page.goto(`/office/workers/${WORKER_ID}`);
  await page.getByRole('button', { name: "Add to the ward's preferred list" }).click();
  await assertErrors(page, ['Select a ward']);
  await page.getByLabel('Ward').selectOption({ index: 1 });
  const ward = (await page.getByLabel('Ward').locator('option:checked').innerText()).trim();
  await page.getByRole('button', { name: "Add to the ward's preferred list" }).click();
  assert.match(await page.locator('.app-done').innerText(), /Added/);
  assert.ok((await page.locator('.app-preferred').innerText()).includes(ward));
  await look(page, 'office-worker-preferred');
  await page.getByLabel('Ward').selectOption({ label: ward });
  await page.getByRole('button', { name: "Remove from the ward's preferred list" }).click();
  assert.match(await page.locator('.app-done').innerText(), /Removed/);
  assert.match(await page.locator('.app-preferred').innerText(), /Not on any ward/);
});
