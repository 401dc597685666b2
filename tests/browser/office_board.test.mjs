// The bank office's board: their home after sign-in, the grid of days x wards at 1280 px and the
// list by day at 360 px, the filters (and a wrong one explained), a cell opening its shifts, and
// the board changing by itself while a worker books a shift in another browser.
//
// The bank office (through the API, as its own tools would) posts a shift the demo worker can
// book at the worker's home ward, twelve days from today, so the journey does not depend on the
// demo's random shifts; counts are read before and after, as the demo has shifts of its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';
let browser;
let office;
const posted = {};

/** The London date `days` from today, as YYYY-MM-DD. */
function londonDay(days) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(new Date()).map((x) => [x.type, x.value]),
  );
  const d = new Date(Date.UTC(+p.year, +p.month - 1, +p.day + days));
  return d.toISOString().slice(0, 10);
}

before(async () => {
  browser = await launch();
  office = await newPage(browser, { width: 1280 });
  const token = await apiToken(OFFICE);
  const me = await graphql(
    '{ me { roles { trust { id name sites { id name wards { id name } } } } } }',
    {},
    token,
  );
  const trust = me.me.roles.map((r) => r.trust).find(Boolean);
  const site = trust.sites.find((s) => s.wards.some((w) => w.name.startsWith('Ward 10')));
  const ward = site.wards.find((w) => w.name.startsWith('Ward 10'));
  Object.assign(posted, { trust, site, ward, day: londonDay(12) });
  const done = await graphql(
    'mutation($i: PostShiftInput!) { postShift(input: $i) { id } }',
    {
      i: {
        trustId: trust.id, siteId: site.id, wardId: ward.id,
        staffGroup: 'NURSING_MIDWIFERY_REGISTERED', grade: 'BAND_5',
        startsLocal: `${posted.day}T08:00:00`, endsLocal: `${posted.day}T16:00:00`,
        breakMinutes: 30, reason: 'SICKNESS',
        cascade: [{ audience: 'COLLABORATIVE', anchor: 'POSTING', offsetMinutes: 0 }],
      },
    },
    token,
  );
  posted.shift = done.postShift.id;
  posted.cell = `#cell-${ward.id}-${posted.day}`;
  posted.list = `#list-${posted.day}`;
});
after(async () => { await browser?.close(); });

/** `text` as a regular expression that matches it literally. */
function literally(text) {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** The number before `what` in a cell's text ("2 filled"), 0 when it is not there. */
async function countIn(locator, what) {
  const text = await locator.innerText();
  const m = text.match(new RegExp(`(\\d+) ${what}`));
  return m ? Number(m[1]) : 0;
}

test('the bank office lands on the board: days x wards, with counts and who can book', async () => {
  await signIn(office, OFFICE);
  assert.match(new URL(office.url()).pathname, /^\/office$/, 'the board is their home');
  await office.getByRole('heading', { level: 1, name: 'Shift board' }).waitFor();
  const grid = office.getByRole('region', { name: 'Shift board by day and ward' });
  assert.ok(await grid.isVisible(), 'the grid shows on a wide screen');
  assert.equal(await office.locator('.app-board-list').isVisible(), false, 'the list is for small screens');
  const rows = office.locator('.app-board-table tbody tr');
  assert.equal(await rows.count(), 14, 'fourteen days');
  const cell = office.locator(posted.cell);
  assert.ok((await countIn(cell, 'open')) >= 1, 'the posted shift is open');
  // The cell names the tier of its least-released shift: the demo's own shifts on that ward
  // and day may be open to fewer workers than the posted one, so any tier will do here; the
  // posted shift's own tier is read on the cell's page.
  await cell.getByText(/^Open to (preferred workers|this trust's bank|the whole bank|agencies)/).first().waitFor();
  await look(office, 'board');
});

test('at 360 px the board reads as a list by day', async () => {
  const phone = await newPage(browser, { width: 360 });
  await signIn(phone, OFFICE);
  await phone.goto('/office');
  assert.equal(await phone.locator('.app-board-grid').isVisible(), false, 'no grid on a phone');
  const day = phone.locator(posted.list);
  assert.ok(await day.isVisible());
  await day.getByRole('link', { name: literally(posted.ward.name) }).waitFor();
  assert.ok((await countIn(day.locator('li', { hasText: posted.ward.name }).first(), 'open')) >= 1);
  await look(phone, 'board-list-phone');
  await day.getByRole('link', { name: literally(posted.ward.name) }).click();
  await phone.getByRole('heading', { level: 1 }).waitFor();
  assert.match(new URL(phone.url()).pathname, /^\/office\/board\/shifts$/);
  const card = phone.locator('.app-shift-card', { hasText: '8am to 4pm' }).first();
  await card.waitFor();
  await look(phone, 'board-cell-phone');
  await phone.context().close();
});

test('filters by site, ward and staff group; a wrong filter is explained', async () => {
  await office.goto('/office');
  await office.getByText('Filter the board').click();
  await office.getByLabel('Site', { exact: true }).selectOption({ label: posted.site.name });
  await office.getByLabel('Ward', { exact: true }).selectOption({ label: `${posted.ward.name} (${posted.site.name})` });
  await office.getByLabel('Staff group', { exact: true }).selectOption({ label: 'Nursing and midwifery (registered)' });
  await office.getByRole('button', { name: 'Show shifts' }).click();
  await office.getByRole('heading', { level: 1, name: 'Shift board' }).waitFor();
  const url = new URL(office.url());
  assert.equal(url.searchParams.get('ward'), posted.ward.id);
  assert.equal(url.searchParams.get('group'), 'nursing-midwifery');
  const heads = await office.locator('.app-board-table thead th').allInnerTexts();
  assert.equal(heads.length, 2, `the day and one ward: ${heads}`);
  assert.ok(heads[1].includes(posted.ward.name));
  assert.equal(await office.getByLabel('Ward', { exact: true }).inputValue(), posted.ward.id, 'the filter stays chosen');
  await look(office, 'board-filtered');

  await office.getByRole('link', { name: 'Show as a list' }).click();
  assert.ok(await office.locator(posted.list).isVisible(), 'the list on a wide screen too');
  assert.equal(await office.locator('.app-board-grid').isVisible(), false);
  await look(office, 'board-list-wide');

  await office.goto('/office?group=surgeons');
  await assertErrors(office, ['Select a staff group from the list']);
  await look(office, 'board-wrong-filter');
});

test('a cell opens the shifts it counts, each linking to its own page', async () => {
  await office.goto('/office');
  await office.locator(`${posted.cell} a`).click();
  await office.getByRole('heading', { level: 1 }).waitFor();
  const card = office.locator('.app-shift-card', { hasText: '8am to 4pm' });
  assert.ok((await card.count()) >= 1);
  const hrefs = await office.locator('.app-shift-card a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.includes(`/office/shifts/${posted.shift}`), `links to the shift's page: ${hrefs}`);
  const mine = office.locator('.app-shift-card', {
    has: office.locator(`a[href="/office/shifts/${posted.shift}"]`),
  });
  await mine.getByText('Open to the whole bank').waitFor();
  await look(office, 'board-cell');
  await office.getByRole('link', { name: 'Back to the board' }).click();
  await office.getByRole('heading', { level: 1, name: 'Shift board' }).waitFor();
});

test("the board changes by itself while a worker books in another browser", async () => {
  await office.goto('/office');
  await office.locator('[data-board][data-live="on"]').waitFor();
  const cell = office.locator(posted.cell);
  const filledBefore = await countIn(cell, 'filled');
  const openBefore = await countIn(cell, 'open');

  const worker = await newPage(browser);
  await signIn(worker);
  await worker.goto(`/worker/shifts/${posted.shift}/book`);
  await worker.getByRole('button', { name: 'Confirm booking' }).click();
  await worker.waitForURL(/\/booked$/);
  await worker.context().close();

  // No reload: the script redraws the cell when the booking is announced.
  await cell.getByText(`${filledBefore + 1} filled`).waitFor({ timeout: 5000 });
  assert.equal(await countIn(cell, 'open'), openBefore - 1, 'one fewer open');
  await office.getByText(/Live: the board changed at/).waitFor();
  await look(office, 'board-live');
  // A refresh shows the same.
  await office.reload();
  assert.equal(await countIn(office.locator(posted.cell), 'filled'), filledBefore + 1);
});
