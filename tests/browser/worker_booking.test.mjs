// The worker's booking journey on a phone: find shifts (filters, pages), open one and see its
// pay, book it (check, confirm, confirmation) once however often the form is sent, see it in my
// bookings, a shift they cannot book saying why on its own page, and cancelling with the short-notice wording.
//
// The bank office (through the API, as its own tools would) posts the shifts the journey needs
// at the demo worker's home ward, so every step is deterministic: a dozen shifts to page
// through, shift A to book, shift B that starts four hours after A ends (too little rest once A
// is booked), and shift S starting in about three hours (cancelling it is short notice).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertErrors, launch, look, newPage, signIn } from './lib.mjs';

let browser;
let page;
const posted = {};

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  await signIn(page);
  await postShifts(page);
});
after(async () => { await browser?.close(); });

// ---- set-up through the API, as the bank office ----

async function gql(request, query, variables = {}, token = undefined) {
  const response = await request.post('/graphql', {
    data: { query, variables },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = await response.json();
  assert.deepEqual(body.errors ?? [], [], `GraphQL errors for ${query.slice(0, 60)}`);
  return body.data;
}

/** London wall-clock parts of an instant. */
function london(at) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return parts;
}

/** The London date `days` from today, as YYYY-MM-DD. */
function londonDay(days) {
  const p = london(new Date());
  const d = new Date(Date.UTC(+p.year, +p.month - 1, +p.day + days));
  return d.toISOString().slice(0, 10);
}

/** "Friday 4 December 2026" for a YYYY-MM-DD date. */
function words(day) {
  const d = new Date(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
  }).format(d).replace(',', '');
}

async function postShifts(p) {
  const office = await gql(
    p.request,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: 'bank.office@northfield.staffbank.example', p: 'staffbank-demo' },
  );
  const token = office.login.token;
  const me = await gql(
    p.request,
    '{ me { roles { trust { id name collaborativeBank { id } sites { id name wards { id name requiredSkills } } } } } }',
    {},
    token,
  );
  const trust = me.me.roles.map((r) => r.trust).find(Boolean);
  const site = trust.sites.find((s) => s.wards.some((w) => w.name.startsWith('Ward 10')));
  const ward = site.wards.find((w) => w.name.startsWith('Ward 10'));
  posted.trust = trust;
  posted.site = site;
  posted.ward = ward;
  const row = (starts, ends, breakMinutes, notes = null) => ({
    trustId: trust.id, siteId: site.id, wardId: ward.id,
    staffGroup: 'NURSING_MIDWIFERY_REGISTERED', grade: 'BAND_5',
    startsLocal: starts, endsLocal: ends, breakMinutes, reason: 'SICKNESS', notes,
    cascade: [{ audience: 'COLLABORATIVE', anchor: 'POSTING', offsetMinutes: 0 }],
  });
  const rows = [];
  for (let d = 6; d <= 17; d += 1) {
    rows.push(row(`${londonDay(d)}T08:00:00`, `${londonDay(d)}T16:00:00`, 30));
  }
  posted.aDay = londonDay(20);
  // A is a day shift, 8am to 4pm: its hours are paid in the band of its day. Which band that is
  // depends on the day the suite runs (a Saturday, a Sunday, or a bank holiday such as the
  // Boxing Day substitute on 28 December 2026), so ask the bank's own calendar.
  const holidays = await gql(
    p.request,
    'query($b: UUID!, $y: Int!) { publicHolidays(collaborativeBankId: $b, year: $y) { date } }',
    { b: trust.collaborativeBank.id, y: +posted.aDay.slice(0, 4) },
    token,
  );
  const weekday = new Date(`${posted.aDay}T12:00:00Z`).getUTCDay();
  posted.aBand = weekday === 0 || holidays.publicHolidays.some((h) => h.date === posted.aDay)
    ? 'Sundays and bank holidays'
    : weekday === 6 ? 'Nights and Saturdays' : 'Standard hours';
  rows.push(row(`${posted.aDay}T08:00:00`, `${posted.aDay}T16:00:00`, 30, 'Please arrive 15 minutes early for handover.'));
  rows.push(row(`${posted.aDay}T20:00:00`, `${londonDay(21)}T08:00:00`, 60));
  // S: about three hours from now, on the half hour.
  const soon = new Date(Date.now() + 3 * 3600 * 1000);
  soon.setUTCMinutes(soon.getUTCMinutes() < 30 ? 30 : 60, 0, 0);
  const sStart = london(soon);
  const sEnd = london(new Date(soon.getTime() + 4 * 3600 * 1000));
  const local = (x) => `${x.year}-${x.month}-${x.day}T${x.hour}:${x.minute}:00`;
  rows.push(row(local(sStart), local(sEnd), 0));
  const done = await gql(
    p.request,
    'mutation($inputs: [PostShiftInput!]!) { postShifts(inputs: $inputs) { id } }',
    { inputs: rows },
    token,
  );
  const ids = done.postShifts.map((s) => s.id);
  posted.s = ids.pop();
  posted.b = ids.pop();
  posted.a = ids.pop();
  posted.sStartHour = sStart.hour;
}

// ---- what the pages show ----

/** The headings (date and time) of the shift cards on the page. */
async function cards(p) {
  return p.locator('.app-shift-card h3').allInnerTexts();
}

/** The London date (YYYY-MM-DD) a card heading such as "Friday 4 December 2026, 8am to 4pm" starts on. */
function dayOf(heading) {
  const [, d, month, y] = heading.match(/^\w+ (\d+) (\w+) (\d{4})/);
  const m = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'].indexOf(month) + 1;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

async function fillDate(p, legend, day) {
  const [y, m, d] = day.split('-');
  const group = p.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(+d));
  await group.getByLabel('Month').fill(String(+m));
  await group.getByLabel('Year').fill(y);
}

async function openFilters(p) {
  const details = p.locator('details.app-filters');
  if (!(await details.evaluate((d) => d.open))) {
    await p.getByText('Filter shifts').click();
  }
}

test('a worker finds shifts across the bank, soonest first, ten a page', async () => {
  await page.goto('/worker/shifts');
  await page.getByRole('heading', { level: 1, name: 'Find shifts' }).waitFor();
  await look(page, 'find-shifts');
  const first = await cards(page);
  assert.equal(first.length, 10, 'ten shifts a page');
  const days = first.map(dayOf);
  assert.deepEqual([...days].sort(), days, 'soonest first');
  for (const card of await page.locator('.app-shift-card').all()) {
    assert.match(await card.innerText(), /Pay (£[\d,]+\.\d\d|not shown)/, 'every shift says its pay');
  }

  await page.getByRole('link', { name: 'Next page' }).click();
  await look(page, 'find-shifts-page-2');
  const second = await cards(page);
  assert.ok(second.length >= 1, 'a second page');
  assert.ok(dayOf(second[0]) >= days[days.length - 1], 'the second page goes on from the first');
  await page.getByRole('link', { name: 'Previous page' }).click();
  assert.deepEqual(await cards(page), first, 'Previous returns to the first page');
});

test('filters by trust and dates, and the pages keep the filters', async () => {
  await page.goto('/worker/shifts');
  await openFilters(page);
  await page.getByLabel('Trust').selectOption({ label: posted.trust.name });
  await fillDate(page, 'Date from', londonDay(6));
  await fillDate(page, 'Date to', posted.aDay);
  await page.getByRole('button', { name: 'Show shifts' }).click();
  await page.getByRole('heading', { name: 'Shifts matching your filters' }).waitFor();
  await look(page, 'find-shifts-filtered');
  const seen = [];
  for (;;) {
    const shown = await page.locator('.app-shift-card').allInnerTexts();
    for (const text of shown) {
      assert.ok(text.includes(posted.trust.name), `only ${posted.trust.name}: ${text}`);
      const day = dayOf(text);
      assert.ok(day >= londonDay(6) && day <= posted.aDay, `within the dates: ${text}`);
      seen.push(text);
    }
    const next = page.getByRole('link', { name: 'Next page' });
    if (!(await next.count())) break;
    const href = await next.getAttribute('href');
    assert.match(href, /trust=/, 'the next page keeps the trust');
    assert.match(href, /from-day=/, 'and the dates');
    await next.click();
  }
  // The twelve shifts posted for days 6 to 17 and the two of day 20 are all there.
  assert.ok(seen.length >= 14, `every matching shift, over the pages (${seen.length})`);
  assert.equal(await page.getByLabel('Trust').inputValue(), posted.trust.id, 'the filter stays chosen');
});

test('wrong dates in the filters are explained, the input kept, the list unchanged', async () => {
  await page.goto('/worker/shifts');
  const unfiltered = await cards(page);
  await openFilters(page);
  const from = page.getByRole('group', { name: 'Date from' });
  await from.getByLabel('Day').fill('31');
  await from.getByLabel('Month').fill('2');
  await from.getByLabel('Year').fill('2027');
  await page.getByRole('button', { name: 'Show shifts' }).click();
  await assertErrors(page, ['Date from must be a real date']);
  assert.equal(await from.getByLabel('Day').inputValue(), '31', 'what was typed is kept');
  assert.deepEqual(await cards(page), unfiltered, 'the list did not change');
  await look(page, 'find-shifts-error');

  await from.getByLabel('Day').fill('10');
  await from.getByLabel('Month').fill('12');
  await fillDate(page, 'Date to', '2027-12-05');
  await page.getByRole('button', { name: 'Show shifts' }).click();
  await assertErrors(page, [
    'Date to must be the same as or after date from',
  ]);
  assert.equal(
    await page.getByRole('group', { name: 'Date to' }).getByLabel('Day').inputValue(),
    '5',
  );
  assert.deepEqual(await cards(page), unfiltered, 'the list did not change');
  // The summary's link takes the worker to the field.
  await page.locator('.nhsuk-error-summary a').first().click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'to-day');
});

let bookingUrl;
let aHeading;

test('a shift shows when, where and its pay; booking it twice books it once', async () => {
  // Find shift A from the list, as a worker would: filter to its day.
  await page.goto('/worker/shifts');
  await openFilters(page);
  await fillDate(page, 'Date from', posted.aDay);
  await fillDate(page, 'Date to', posted.aDay);
  await page.getByRole('button', { name: 'Show shifts' }).click();
  aHeading = `${words(posted.aDay)}, 8am to 4pm`;
  await page.getByRole('link', { name: aHeading }).click();
  assert.match(page.url(), new RegExp(`/worker/shifts/${posted.a}$`));
  await page.getByRole('heading', { level: 1, name: aHeading }).waitFor();
  await look(page, 'shift');
  const facts = await page.locator('.nhsuk-summary-list').innerText();
  assert.match(facts, /Ward 10 \(acute medicine\)/);
  assert.match(facts, new RegExp(posted.trust.name));
  assert.match(facts, /8 hours, with an unpaid break of 30 minutes/);
  assert.match(facts, /Please arrive 15 minutes early for handover\./);
  const pay = page.getByRole('table');
  assert.ok((await pay.innerText()).includes(posted.aBand), `${posted.aBand}: ${await pay.innerText()}`);
  assert.match(await pay.innerText(), /7\.5/);
  assert.match(await page.locator('main').innerText(), /Total £[\d,]+\.\d\d/);
  assert.match(await page.locator('main').innerText(), /Pay £[\d,]+\.\d\d/, 'the total, next to the Book button');
  assert.match(await page.locator('main').innerText(), /Cancelling less than 8 hours before it starts counts as short notice/);
  await page.getByRole('link', { name: 'Find shifts', exact: true }).first().waitFor();

  await page.getByRole('button', { name: 'Book this shift' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check the shift before you book' }).waitFor();
  await look(page, 'book-confirm');
  assert.match(await page.locator('main').innerText(), new RegExp(aHeading));
  const form = page.locator('form[action$="/book"]');
  const fields = {
    csrf: await form.locator('input[name="csrf"]').inputValue(),
    idempotency_key: await form.locator('input[name="idempotency_key"]').inputValue(),
  };
  assert.match(fields.idempotency_key, /^[0-9a-f-]{36}$/, 'the form carries an idempotency key');
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.getByRole('heading', { level: 1, name: 'Shift booked' }).waitFor();
  assert.match(page.url(), /\/worker\/bookings\/[0-9a-f-]+\/booked$/);
  const booked = page.url();
  assert.match(await page.locator('.nhsuk-panel').innerText(), new RegExp(aHeading));
  assert.match(await page.locator('main').innerText(), /What happens next/);
  await look(page, 'booked');

  // The same form sent again (a double click, or the back button and resend): the same booking.
  const again = await page.request.post(`/worker/shifts/${posted.a}/book`, {
    form: fields, maxRedirects: 0, failOnStatusCode: false,
  });
  assert.equal(again.status(), 303);
  assert.equal(new URL(again.headers().location, booked).href, booked, 'the same booking');

  await page.getByRole('link', { name: 'View my bookings' }).click();
  await page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor();
  await look(page, 'my-bookings');
  const upcoming = page.locator('.app-shift-card', { hasText: aHeading });
  assert.equal(await upcoming.count(), 1, 'booked once, however often the form was sent');
  assert.match(await upcoming.innerText(), /Booked/);
  await upcoming.getByRole('link').click();
  bookingUrl = page.url();
  assert.equal(`${bookingUrl}/booked`, booked);
  await page.getByRole('heading', { level: 1, name: aHeading }).waitFor();
  assert.match(await page.locator('main').innerText(), /Booked/);
  await look(page, 'booking');

  // The shift now says it is booked, with no second "Book" button.
  await page.goto(`/worker/shifts/${posted.a}`);
  await page.getByText('You are booked on this shift').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Book this shift' }).count(), 0);
});

test('a shift the worker cannot book says why, and nothing is booked', async () => {
  const bHeading = `${words(posted.aDay)}, 8pm to 8am on ${words(londonDay(21)).replace(/ \d{4}$/, '')}`;
  // B was in the list before A was booked; now it is not.
  await page.goto(`/worker/shifts?from-day=${+posted.aDay.slice(8)}&from-month=${+posted.aDay.slice(5, 7)}&from-year=${posted.aDay.slice(0, 4)}&to-day=${+posted.aDay.slice(8)}&to-month=${+posted.aDay.slice(5, 7)}&to-year=${posted.aDay.slice(0, 4)}`);
  assert.equal(await page.getByRole('link', { name: bHeading }).count(), 0, 'B left the list');

  // The shift page itself says why, in plain English, and offers no Book button.
  const why = "You would have less than 11 hours' rest after your previous shift (only 4 hours)";
  await page.goto(`/worker/shifts/${posted.b}`);
  await page.getByRole('heading', { level: 1, name: bHeading }).waitFor();
  const cannot = page.locator('#cannot-book');
  await cannot.getByRole('heading', { name: 'You cannot book this shift' }).waitFor();
  assert.ok((await cannot.innerText()).includes(`${why}.`), 'the reason, in plain English');
  assert.equal(await page.getByRole('button', { name: 'Book this shift' }).count(), 0, 'no Book button');
  assert.equal(await page.getByRole('link', { name: 'Book this shift' }).count(), 0);
  await look(page, 'shift-not-eligible');

  // Going to the booking page anyway says the same, with nothing to confirm.
  await page.goto(`/worker/shifts/${posted.b}/book`);
  await assertErrors(page, [why]);
  assert.equal(await page.getByRole('button', { name: 'Confirm booking' }).count(), 0);
  await look(page, 'book-not-eligible');

  // A booking form sent all the same is refused by the API, for the same reason.
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const refused = await page.request.post(`/worker/shifts/${posted.b}/book`, {
    form: { csrf, idempotency_key: crypto.randomUUID() }, maxRedirects: 0, failOnStatusCode: false,
  });
  assert.equal(refused.status(), 422);
  assert.match(await refused.text(), /rest after your previous shift \(only 4 hours\)/, 'the refusal gives the reason');

  await page.goto('/worker/bookings');
  assert.equal(await page.locator('.app-shift-card', { hasText: bHeading }).count(), 0, 'not booked');
});

test('cancelling needs a reason and says first whether it is short notice', async () => {
  // Not short notice: shift A, weeks away.
  await page.goto(bookingUrl);
  await page.getByRole('link', { name: 'Cancel this booking' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cancel your booking' }).waitFor();
  await look(page, 'cancel');
  assert.match(
    await page.locator('#notice').innerText(),
    /This is not short notice\. The shift starts in \d+ days, and .+ only counts cancelling less than 8 hours before the start as short notice\./,
  );
  await page.getByRole('button', { name: 'Continue' }).click();
  await assertErrors(page, ['Enter why you are cancelling']);
  await look(page, 'cancel-error');
  await page.getByLabel('Why are you cancelling?').fill('   ');
  await page.getByRole('button', { name: 'Continue' }).click();
  await assertErrors(page, ['Enter why you are cancelling']);
  await page.goto(bookingUrl);
  assert.match(await page.locator('main').innerText(), /Booked/, 'nothing changed');

  // Short notice: S, starting in about three hours.
  await page.goto(`/worker/shifts/${posted.s}`);
  await page.getByRole('button', { name: 'Book this shift' }).click();
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.getByRole('heading', { level: 1, name: 'Shift booked' }).waitFor();
  await page.getByRole('link', { name: 'See this booking' }).click();
  const sBooking = page.url();
  assert.match(await page.locator('main').innerText(), /Cancelling now counts as short notice\./);
  await page.getByRole('link', { name: 'Cancel this booking' }).click();
  const shortNotice = async () => {
    const notice = page.locator('#notice');
    assert.match(await notice.innerText(), /This counts as short notice/);
    assert.match(
      await notice.innerText(),
      /The shift starts in \d+ hours?( \d+ minutes?)?\. .+ counts cancelling less than 8 hours before the start as short notice\./,
    );
    assert.match(
      await notice.innerText(),
      /You have no short-notice cancellations or missed shifts counted at .+ now\. At 3, you can no longer book its shifts yourself\./,
    );
  };
  await shortNotice();
  const reason = page.getByLabel('Why are you cancelling?');
  await reason.fill('I have been called in to my substantive post.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Are you sure you want to cancel this booking?' }).waitFor();
  assert.match(await page.locator('main').innerText(), /I have been called in to my substantive post\./);
  await shortNotice();
  await look(page, 'cancel-confirm');
  await page.getByRole('button', { name: 'Yes, cancel this booking' }).click();
  await page.getByRole('heading', { level: 1, name: 'Booking cancelled' }).waitFor();
  assert.match(await page.locator('main').innerText(), /short-notice cancellation/);
  await look(page, 'cancelled');
  await page.goto(sBooking);
  assert.match(await page.locator('main').innerText(), /Cancelled by you/);
  assert.equal(await page.getByRole('link', { name: 'Cancel this booking' }).count(), 0);
});
