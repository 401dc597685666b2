// The worker's home: what it says matches what the API knows, in the worker's words.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, graphql, launch, look, newPage, signIn, SHOTS_DIR } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('home shows the next shift, open shifts, and what expiring checks would cost', async () => {
  const token = await apiToken();
  // The bank office posts a shift at the worker's home trust that ends after their expiring
  // check runs out: renewing in time is what would let them book it.
  const me = await graphql(
    `{ myWorker { staffGroup grade homeTrust { id wards { id requiredSkills site { id } } } } }`,
    {},
    token,
  );
  const soon = await graphql(
    `{ myShiftOutlook(withinDays: 30) { expiringCredentials { expiresOn } } }`, {}, token,
  );
  assert.ok(soon.myShiftOutlook.expiringCredentials.length > 0, 'the demo worker has a check expiring this month');
  const lapse = soon.myShiftOutlook.expiringCredentials[0].expiresOn;
  const ward = me.myWorker.homeTrust.wards.find((w) => w.requiredSkills.length === 0);
  const office = await apiToken('bank.office@northfield.staffbank.example');
  await graphql(
    `mutation($i: PostShiftInput!){ postShift(input: $i) { id } }`,
    {
      i: {
        trustId: me.myWorker.homeTrust.id, siteId: ward.site.id, wardId: ward.id,
        staffGroup: me.myWorker.staffGroup, grade: me.myWorker.grade,
        startsLocal: `${lapse}T08:00:00`, endsLocal: `${lapse}T16:00:00`, breakMinutes: 30,
        reason: 'SICKNESS',
        // Offered to the trust's own bank at once, so it reaches the worker now.
        cascade: [{ audience: 'OWN_TRUST', anchor: 'POSTING', offsetMinutes: 0 }],
      },
    },
    office,
  );
  const facts = await graphql(
    `{ myShiftOutlook(withinDays: 30) { openShifts expiringCredentials { requirementName expiresOn shiftsAtRisk } } }`,
    {},
    token,
  );
  const outlook = facts.myShiftOutlook;
  assert.ok(
    outlook.expiringCredentials.some((e) => e.shiftsAtRisk > 0),
    `a shift is at risk: ${JSON.stringify(outlook)}`,
  );

  const page = await newPage(browser);
  await signIn(page);
  assert.match(page.url(), /\/worker$/);
  await page.getByRole('heading', { level: 1, name: 'Your shifts' }).waitFor();
  const open = outlook.openShifts === 1
    ? 'There is 1 shift open to you.'
    : `There are ${outlook.openShifts} shifts open to you.`;
  await page.getByText(open).waitFor();
  for (const e of outlook.expiringCredentials) {
    const heading = page.getByRole('heading', { name: new RegExp(`^${e.requirementName} runs out on `) });
    await heading.waitFor();
    if (e.shiftsAtRisk > 0) {
      // e.g. "Renew Basic life support before 12 December 2026 or you cannot book 14 of the shifts open to you."
      const what = e.shiftsAtRisk === 1 ? '1 shift that is open to you' : `${e.shiftsAtRisk} of the shifts open to you`;
      await page.getByText(new RegExp(`Renew ${e.requirementName} before .* or you cannot book ${what}`)).waitFor();
    }
  }
  const due = await graphql('{ myBookings(timesheetDue: true, first: 10) { nodes { id } } }', {}, token);
  assert.ok(due.myBookings.nodes.length > 0, 'the demo worker has timesheets to send');
  const dueLinks = page.getByRole('heading', { name: 'Send your timesheets' }).locator('xpath=following-sibling::ul[1]').getByRole('link');
  assert.equal(await dueLinks.count(), due.myBookings.nodes.length);
  assert.equal(await dueLinks.first().getAttribute('href'), `/worker/bookings/${due.myBookings.nodes[0].id}/timesheet`);
  await look(page, 'worker-home');
  await page.screenshot({ path: `${SHOTS_DIR}/docs-worker-home-360.png` });

  // Book the first open shift through the API, and the home shows it as the next shift.
  const feed = await graphql('{ myShiftFeed(first: 1) { nodes { shift { id ward { name } } } } }', {}, token);
  const first = feed.myShiftFeed.nodes[0];
  // (the booked shift need not be the soonest: the page must show whichever is)
  assert.ok(first, 'the demo has a shift open to the worker');
  await graphql('mutation($s:UUID!){ bookShift(shiftId:$s){ booking { id } } }', { s: first.shift.id }, token);
  await page.reload();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const soonest = await graphql(
    `query($d: NaiveDate){ myBookings(from: $d, activeOnly: true, first: 1) { nodes { shift { ward { name } trust { name } } } } }`,
    { d: today },
    token,
  );
  const expected = soonest.myBookings.nodes[0].shift;
  const card = page.locator('.nhsuk-card--clickable').first();
  assert.equal((await card.locator('.nhsuk-card__description').innerText()).trim(), `${expected.ward.name}, ${expected.trust.name}`);
  const after = await graphql('{ myShiftOutlook { openShifts } }', {}, token);
  assert.equal(after.myShiftOutlook.openShifts, outlook.openShifts - 1, 'the booked shift is no longer open to them');
  const nowOpen = after.myShiftOutlook.openShifts === 1
    ? 'There is 1 shift open to you.'
    : `There are ${after.myShiftOutlook.openShifts} shifts open to you.`;
  await page.getByText(nowOpen).waitFor();
  await look(page, 'worker-home-booked');
  await page.context().close();
});
