// The bank office runs one shift, on a phone-sized window and a desk-sized one: the workers who
// can work it, best first, each score in its parts; who cannot, and why, in plain English; booking
// a named worker (and a worker who may not work it being refused with the reasons); cancelling a
// booking inside the late window with the fee shown before confirming; cancelling a whole shift;
// and recording a no-show on a shift that has started.
//
// The bank office posts the shifts the journey needs through the API first, at Ward 10 of its
// trust: A in three days, C in four days, and L starting in about two hours (inside the trust's
// late-cancellation window).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';
let browser;
let page;
let token;
const posted = {};

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  await signIn(page, OFFICE);
  token = await apiToken(OFFICE);
  await postShifts();
});
after(async () => { await browser?.close(); });

function london(at) {
  return Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(at).map((p) => [p.type, p.value]),
  );
}
const local = (x) => `${x.year}-${x.month}-${x.day}T${x.hour}:${x.minute}:00`;
function londonDay(days) {
  const p = london(new Date());
  return new Date(Date.UTC(+p.year, +p.month - 1, +p.day + days)).toISOString().slice(0, 10);
}

async function postShifts() {
  const me = await graphql(
    '{ me { roles { trust { id name sites { id wards { id name } } } } } }', {}, token,
  );
  const trust = me.me.roles.map((r) => r.trust).find(Boolean);
  const site = trust.sites.find((s) => s.wards.some((w) => w.name.startsWith('Ward 10')));
  const ward = site.wards.find((w) => w.name.startsWith('Ward 10'));
  posted.trust = trust;
  const row = (starts, ends) => ({
    trustId: trust.id, siteId: site.id, wardId: ward.id,
    staffGroup: 'NURSING_MIDWIFERY_REGISTERED', grade: 'BAND_5',
    startsLocal: starts, endsLocal: ends, breakMinutes: 30, reason: 'SICKNESS',
    cascade: [{ audience: 'COLLABORATIVE', anchor: 'POSTING', offsetMinutes: 0 }],
  });
  const soon = new Date(Date.now() + 2 * 3600 * 1000);
  soon.setUTCMinutes(soon.getUTCMinutes() < 30 ? 30 : 60, 0, 0);
  const done = await graphql(
    'mutation($inputs: [PostShiftInput!]!) { postShifts(inputs: $inputs) { id } }',
    {
      inputs: [
        row(`${londonDay(3)}T08:00:00`, `${londonDay(3)}T16:00:00`),
        row(`${londonDay(4)}T08:00:00`, `${londonDay(4)}T16:00:00`),
        row(local(london(soon)), local(london(new Date(soon.getTime() + 4 * 3600 * 1000)))),
      ],
    },
    token,
  );
  [posted.a, posted.c, posted.l] = done.postShifts.map((s) => s.id);
}

/** The API's own list for a shift (the test's independent view of what the page shows). */
async function matches(shiftId, all) {
  const d = await graphql(
    `query($s: UUID!, $all: Boolean!) { eligibleWorkers(shiftId: $s, includeIneligible: $all, first: ${all ? 10 : 20}) {
       nodes { eligible score worker { id givenName familyName } scoreParts { criterion points outOf } } } }`,
    { s: shiftId, all }, token,
  );
  return d.eligibleWorkers.nodes;
}

/** The rows of the ranked table: name, score and the text of each part. */
async function rows(p) {
  return p.locator('table.app-matches tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.querySelectorAll('td')].map((td) => {
      const clone = td.cloneNode(true);
      clone.querySelectorAll('.nhsuk-table-responsive__heading').forEach((h) => h.remove());
      return clone.innerText.trim();
    });
    return { name: tr.querySelector('.app-match-name').innerText.trim(), score: +cells[1], parts: cells.slice(2, 6), last: cells[6] };
  }));
}

test('the shift page ranks who can work it, best first, each score in its parts', async () => {
  await page.goto(`/office/shifts/${posted.a}`);
  await page.getByRole('heading', { level: 1, name: /Band 5 shift/ }).waitFor();
  await look(page, 'office-shift');
  const shown = await rows(page);
  const api = await matches(posted.a, false);
  assert.ok(shown.length >= 2, `more than one worker can work it (${shown.length})`);
  assert.deepEqual(
    shown.map((r) => r.name),
    api.map((m) => `${m.worker.givenName} ${m.worker.familyName}`),
    'the page lists exactly the API ranking, in its order',
  );
  const scores = shown.map((r) => r.score);
  assert.deepEqual([...scores].sort((x, y) => y - x), scores, 'best first');
  for (const r of shown) {
    const pts = r.parts.map((t) => {
      const m = t.match(/^([\d.]+) of (\d+)$/);
      assert.ok(m, `a part reads "n of most": ${t}`);
      return +m[1];
    });
    const sum = pts.reduce((x, y) => x + y, 0);
    assert.ok(Math.abs(sum - r.score) <= 0.7, `${r.name}: parts ${pts} add up to ${r.score}`);
  }
  const header = await page.locator('table.app-matches thead').innerText();
  for (const part of ['Worked this ward before (out of 40)', 'From this trust (out of 25)',
    'Fewer hours booked this week (out of 20)']) {
    assert.ok(header.includes(part), `a column for ${part}`);
  }
});

test('on the toggle, those who cannot work it are listed with their reasons in plain English', async () => {
  await page.goto(`/office/shifts/${posted.a}`);
  await page.getByRole('link', { name: 'Show who cannot work it, and why' }).click();
  await page.getByRole('heading', { name: 'Everyone in the bank for this shift' }).waitFor();
  await look(page, 'office-shift-ineligible');
  const shown = await rows(page);
  const api = await matches(posted.a, true);
  assert.equal(shown.length, api.length, 'the page shows the API page of everyone');
  const refused = shown.filter((r) => r.last.startsWith('No:'));
  assert.equal(refused.length, api.filter((m) => !m.eligible).length, 'each ineligible worker says No');
  assert.ok(refused.length >= 1, 'someone cannot work it');
  for (const r of refused) {
    assert.ok(r.last.length > 'No:'.length + 5, `${r.name} has a reason`);
    assert.doesNotMatch(r.last, /[A-Z]{3,}_[A-Z]+/, `no codes, plain English: ${r.last}`);
  }
  // Further pages keep the toggle; workers of other staff groups and grades (ranked after those
  // who pass the quick checks) are refused for it, plainly.
  let plain = false;
  for (let pages = 0; pages < 20 && !plain; pages += 1) {
    const reasons = await page.locator('.app-reasons li').allInnerTexts();
    plain = reasons.some((t) => /different staff group|Grade is not Band 5/.test(t));
    if (plain) break;
    const next = page.getByRole('link', { name: 'Next page' });
    assert.ok(await next.count(), 'a next page of everyone');
    assert.match(await next.getAttribute('href'), /ineligible=yes/, 'the next page keeps the toggle');
    await next.click();
    await page.getByRole('heading', { name: 'Everyone in the bank for this shift' }).waitFor();
  }
  assert.ok(plain, 'staff group or grade is among the reasons');
  await look(page, 'office-shift-ineligible-later');
  await page.getByRole('link', { name: 'Show only those who can work it' }).click();
  await page.getByRole('heading', { name: 'Workers who can work this shift' }).waitFor();
});

test('the bank office books a named worker, once, and a worker who may not work it is refused with the reasons', async () => {
  await page.goto(`/office/shifts/${posted.a}`);
  const first = (await rows(page))[0];
  await page.locator('table.app-matches tbody tr').first().getByRole('link', { name: /^Book/ }).click();
  await page.getByRole('heading', { level: 1, name: `Book ${first.name} on this shift?` }).waitFor();
  await look(page, 'office-book');
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.getByText('The worker is booked.').waitFor();
  const booked = page.locator('.app-booking', { hasText: first.name });
  await booked.getByText('Booked', { exact: true }).waitFor();
  assert.match(await booked.innerText(), /Booked by the bank office/);
  await look(page, 'office-shift-booked');
  const d = await graphql(
    'query($s: UUID!) { shift(id: $s) { filledPositions bookings { active selfBooked worker { givenName familyName } } } }',
    { s: posted.a }, token,
  );
  assert.equal(d.shift.filledPositions, 1);
  assert.deepEqual(
    d.shift.bookings.map((b) => [b.active, b.selfBooked, `${b.worker.givenName} ${b.worker.familyName}`]),
    [[true, false, first.name]],
  );

  // Someone who cannot work shift C, asked for by address: booking is refused, nothing is booked.
  const nope = (await matches(posted.c, true)).find((m) => !m.eligible);
  await page.goto(`/office/shifts/${posted.c}/book?worker=${nope.worker.id}`);
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.locator('.nhsuk-error-summary').waitFor();
  assert.match(await page.title(), /^Error: /);
  await page.getByRole('heading', { level: 1, name: /cannot be booked on this shift/ }).waitFor();
  assert.ok((await page.locator('.nhsuk-error-summary li').count()) >= 1, 'every reason is listed');
  await look(page, 'office-book-refused');
  const c = await graphql('query($s: UUID!) { shift(id: $s) { filledPositions } }', { s: posted.c }, token);
  assert.equal(c.shift.filledPositions, 0, 'nothing was booked');
});

test('cancelling a booking inside the late window shows the fee before confirming', async () => {
  const policy = (await graphql(
    'query($s: UUID!) { shift(id: $s) { marketPolicy { trustLateCancellationMinutes lateCancellationFeeMinutes } } }',
    { s: posted.l }, token,
  )).shift.marketPolicy;
  assert.ok(policy.lateCancellationFeeMinutes > 0, 'the demo trust charges a late fee');
  await page.goto(`/office/shifts/${posted.l}`);
  const first = (await rows(page))[0];
  await page.locator('table.app-matches tbody tr').first().getByRole('link', { name: /^Book/ }).click();
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.getByText('The worker is booked.').waitFor();

  await page.getByRole('link', { name: `Cancel booking of ${first.name}` }).click();
  await page.getByRole('heading', { level: 1, name: `Cancel ${first.name}'s booking` }).waitFor();
  const fee = `${policy.lateCancellationFeeMinutes / 60} hours of the worker's pay`;
  const callout = page.locator('.app-fee');
  assert.match(await callout.innerText(), new RegExp(`late cancellation fee of ${fee}`));
  await look(page, 'office-cancel-booking');

  await page.getByRole('button', { name: 'Continue' }).click();
  await assertErrors(page, ['Enter why you are cancelling']);
  await look(page, 'office-cancel-booking-error');
  await page.getByLabel('Why are you cancelling?').fill('The ward has closed beds tonight.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: `Are you sure you want to cancel ${first.name}'s booking?` }).waitFor();
  assert.match(await page.locator('.app-fee').innerText(), new RegExp(fee), 'the fee again, on the confirm step');
  await look(page, 'office-cancel-booking-confirm');
  await page.getByRole('button', { name: 'Yes, cancel this booking' }).click();
  await page.getByText('The booking is cancelled').waitFor();
  const row = page.locator('.app-booking', { hasText: first.name });
  assert.match(await row.innerText(), /Cancelled by the trust/);
  assert.match(await row.innerText(), new RegExp(`fee of ${fee}`));
  const d = await graphql(
    'query($s: UUID!) { shift(id: $s) { filledPositions bookings { state cancellation { shortNotice reason fee { minutes } } } } }',
    { s: posted.l }, token,
  );
  assert.equal(d.shift.filledPositions, 0, 'the place is open again');
  assert.deepEqual(d.shift.bookings.map((b) => [b.state, b.cancellation.fee?.minutes, b.cancellation.reason]),
    [['CANCELLED_BY_TRUST', policy.lateCancellationFeeMinutes, 'The ward has closed beds tonight.']]);
});

test('cancelling a whole shift says what it costs for each booking, then cancels it', async () => {
  const who = (await matches(posted.c, false))[0];
  await graphql(
    'mutation($s: UUID!, $w: UUID!) { bookShift(shiftId: $s, workerId: $w) { booking { id } } }',
    { s: posted.c, w: who.worker.id }, token,
  );
  const name = `${who.worker.givenName} ${who.worker.familyName}`;
  await page.goto(`/office/shifts/${posted.c}`);
  await page.getByRole('link', { name: 'Cancel this shift' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cancel this shift' }).waitFor();
  assert.match(await page.locator('.app-fee').innerText(), new RegExp(`${name}: No fee`));
  await look(page, 'office-cancel-shift');
  await page.getByLabel('Why are you cancelling?').fill('Patients moved to Ward 14.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Are you sure you want to cancel this shift?' }).waitFor();
  await page.getByRole('button', { name: 'Yes, cancel this shift' }).click();
  await page.getByText('The shift is cancelled.').waitFor();
  await page.locator('.nhsuk-tag', { hasText: 'Cancelled' }).first().waitFor();
  await page.getByText('What has happened to this shift').click();
  await page.getByText('Shift cancelled: Patients moved to Ward 14.').waitFor();
  await look(page, 'office-shift-cancelled');
  const d = await graphql('query($s: UUID!) { shift(id: $s) { status bookings { state } } }', { s: posted.c }, token);
  assert.equal(d.shift.status, 'CANCELLED');
  assert.deepEqual(d.shift.bookings.map((b) => b.state), ['CANCELLED_BY_TRUST']);
});

test('a no-show is recorded on a shift that has started', async () => {
  const d = await graphql(
    `query($t: UUID!, $from: NaiveDate!, $to: NaiveDate!) { bookings(trustId: $t, from: $from, to: $to, activeOnly: true, first: 100) {
       nodes { id state startsAt shift { id } worker { givenName familyName } } } }`,
    { t: posted.trust.id, from: londonDay(-14), to: londonDay(-1) }, token,
  );
  const past = d.bookings.nodes.find((b) => b.state === 'BOOKED' && new Date(b.startsAt) < new Date());
  assert.ok(past, 'the demo bank has a booking that has started');
  const name = `${past.worker.givenName} ${past.worker.familyName}`;
  await page.goto(`/office/shifts/${past.shift.id}`);
  await page.getByRole('link', { name: `Record a no-show for ${name}` }).first().click();
  await page.getByRole('heading', { level: 1, name: `Record that ${name} did not attend` }).waitFor();
  await look(page, 'office-no-show');
  await page.getByLabel('Anything to add? (optional)').fill('Did not call the ward.');
  await page.getByRole('button', { name: 'Record no-show' }).click();
  await page.getByText('The no-show is recorded.').waitFor();
  assert.match(await page.locator('.app-booking', { hasText: name }).first().innerText(), /Did not attend/);
  await look(page, 'office-shift-no-show');
  const b = await graphql('query($b: UUID!) { booking(id: $b) { state } }', { b: past.id }, token);
  assert.equal(b.booking.state, 'NO_SHOW');
});
