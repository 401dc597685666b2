// HR's passports across two trusts. Before the journey (the Rust side): Northfield's HR issued
// the demo worker a passport; the worker accepted Riverside's request to engage them; Riverside's
// bank office (a demo login, as is Riverside's HR) posted a shift the worker could work, open to
// the whole bank.
//
// The worker shares the passport with Riverside and downloads its file; the QR code on their
// passport page is read back from a screenshot into its text. Riverside's HR receives the
// passport three ways (upload, QR, paste), sees it verified and weighed item by item, accepts
// it, and sees the checks saved; from the accepted page it opens each item left for Riverside
// to check itself and accepts Northfield's check; the worker is then compliant at Riverside and
// books the shift on its page.
// Northfield's HR issues a new passport, then suspends, reinstates and revokes it.
//
//   RIVERSIDE_HR   Riverside's HR login     RIVERSIDE / RIVERSIDE_ID   the trust
//   WORKER_ID      the demo worker          SHIFT_ID                   the Riverside shift
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import {
  DEMO_PASSWORD, SHOTS_DIR, apiToken, assertErrors, graphql, launch, look, newPage, signIn,
} from './lib.mjs';

const RIVERSIDE_HR = process.env.RIVERSIDE_HR ?? 'hr@riverside.staffbank.example';
const RIVERSIDE = process.env.RIVERSIDE ?? 'Riverside and Fells Hospitals NHS Trust';
const { RIVERSIDE_ID, WORKER_ID, SHIFT_ID } = process.env;
const ISSUER = 'Northfield Teaching Hospitals NHS Foundation Trust';
const NORTHFIELD_HR = 'hr@northfield.staffbank.example';
const WORKER_NAME = 'Amara Davies';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const main = (page) => page.locator('main');
const h1 = async (page) => (await page.getByRole('heading', { level: 1 }).innerText()).trim();

/** Screenshots only, for a page reached with JavaScript off (axe needs JavaScript). */
async function shot(page, name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${width}.png`), fullPage: true });
  }
}

/** What the passport, the QR code and the worker's file hold, found in the first test. */
const handed = { token: '', file: '', reference: '', resultUrl: '' };

/** Reads the QR code in a PNG screenshot, as a phone camera would. */
function readQr(png) {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  assert.ok(code, 'the QR code on the page can be read');
  return code.data;
}

/** The worker's standing at Riverside, through the API as the worker. */
async function atRiverside(token) {
  const data = await graphql(
    `query($w:UUID!,$t:UUID!,$s:UUID!){
       compliance(workerId:$w, trustId:$t){ compliant }
       shift(id:$s){ myEligibility { eligible reasons { code } } } }`,
    { w: WORKER_ID, t: RIVERSIDE_ID, s: SHIFT_ID },
    token,
  );
  return { compliant: data.compliance.compliant, eligibility: data.shift.myEligibility };
}

test('a worker shares a passport, Riverside HR receives it by upload, QR code and paste, and accepts it', async () => {
  const workerToken = await apiToken();
  const before = await atRiverside(workerToken);
  assert.equal(before.compliant, false, 'not compliant at Riverside before the passport');
  assert.equal(before.eligibility.eligible, false, 'cannot book the Riverside shift yet');

  // The worker shares the passport with Riverside, then shows it: a QR code and a file.
  const worker = await newPage(browser);
  await signIn(worker);
  await worker.goto('/worker/passports');
  await worker.getByRole('link', { name: `Passport from ${ISSUER}` }).click();
  const passportUrl = worker.url();
  await worker.getByRole('button', { name: 'Share with a trust' }).click();
  await worker.getByLabel(RIVERSIDE).check();
  await worker.getByRole('button', { name: 'Continue' }).click();
  await worker.getByRole('button', { name: 'I agree to share' }).click();
  assert.equal(await h1(worker), 'Passport shared');
  await worker.goto(passportUrl);
  const qr = main(worker).getByRole('img', { name: `QR code of your passport from ${ISSUER}` });
  await qr.waitFor();
  handed.reference = (await main(worker).locator('.app-qr-reference').innerText()).trim();
  assert.match(handed.reference, /^staffbank-passport:[0-9a-f-]{36}$/);
  assert.equal(readQr(await qr.screenshot()), handed.reference, 'the QR code says the reference shown under it');
  await look(worker, 'hr-passport-worker-qr');
  const [download] = await Promise.all([
    worker.waitForEvent('download'),
    worker.getByRole('link', { name: 'download your passport file' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^staffbank-passport-[0-9a-f-]{36}\.jwt$/);
  // Kept where the later tests can reach it: Playwright deletes downloads with their context.
  mkdirSync(SHOTS_DIR, { recursive: true });
  handed.file = join(SHOTS_DIR, download.suggestedFilename());
  await download.saveAs(handed.file);
  handed.token = readFileSync(handed.file, 'utf8');
  assert.equal(handed.token.split('.').length, 3, 'the file is the signed passport (a compact JWS)');
  await worker.context().close();

  // Riverside's HR: passports, and the receive page.
  const hr = await newPage(browser);
  await signIn(hr, RIVERSIDE_HR, DEMO_PASSWORD);
  await hr.goto('/hr/passports');
  assert.equal(await h1(hr), 'Passports');
  const saved = async () => Number(await main(hr).locator('.app-savings .nhsuk-summary-list__row', { hasText: 'accepted, not redone' }).locator('dd').innerText());
  assert.equal(await saved(), 0, 'nothing saved at Riverside yet');
  await look(hr, 'hr-passports');
  await hr.getByRole('button', { name: 'Receive a passport' }).click();
  assert.equal(await h1(hr), 'Receive a passport');
  await look(hr, 'hr-passport-receive');

  // Nothing given, then something that is not a passport: the NHS error pattern, text kept.
  await hr.getByRole('button', { name: 'Check passport' }).click();
  await assertErrors(hr, ['Paste the passport, or choose the file the worker sent you']);
  await look(hr, 'hr-passport-receive-empty');
  await hr.getByLabel('Paste the passport').fill('my passport is attached');
  await hr.getByRole('button', { name: 'Check passport' }).click();
  await assertErrors(hr, ['This is not a passport. Paste all of the text the worker sent you, or upload their file']);
  assert.equal(await hr.getByLabel('Paste the passport').inputValue(), 'my passport is attached');
  await look(hr, 'hr-passport-receive-not-a-passport');

  // 1. Upload the file the worker sent.
  await hr.getByLabel('Paste the passport').fill('');
  await hr.getByLabel('Or upload the passport file').setInputFiles(handed.file);
  await hr.getByRole('button', { name: 'Check passport' }).click();
  await hr.waitForURL(/\/hr\/passports\/received\/[0-9a-f-]{36}$/);
  handed.resultUrl = hr.url();
  assert.equal(await h1(hr), `Passport of ${WORKER_NAME}`);
  const checks = main(hr).locator('.app-passport-checks .nhsuk-summary-list__row');
  assert.equal(await checks.count(), 4, 'signature, issuer, dates, revocation');
  for (const [what, says] of [
    ['Signature', /Genuine: signed with a key of Northfield/],
    ['Issuer', /Northfield .* is in the bank's list of trusts that may issue passports/],
    ['Dates', /Valid today: from \d+ \w+ \d{4} to \d+ \w+ \d{4}/],
    ['Revoked or suspended', /Neither: .* list of revoked and suspended passports was checked/],
  ]) {
    const row = main(hr).locator('.app-passport-checks .nhsuk-summary-list__row', { hasText: what }).first();
    assert.equal((await row.locator('.nhsuk-tag').innerText()).trim(), 'Passed', `${what} passed`);
    assert.match(await row.innerText(), says);
  }
  assert.match(await main(hr).locator('.app-passport-subject').innerText(), /Registered nursing and midwifery/);
  const rows = main(hr).locator('.app-evaluation tbody tr');
  assert.ok((await rows.count()) > 5, 'every item of the passport, one by one');
  assert.ok((await main(hr).locator('.app-evaluation .nhsuk-tag', { hasText: 'Accepted' }).count()) > 5);
  assert.match(await main(hr).innerText(), /What Riverside .* can accept/);
  await look(hr, 'hr-passport-result');

  // 2. The QR code, as read from the worker's phone: the same passport.
  await hr.goto('/hr/passports/receive');
  await hr.getByLabel('Paste the passport').fill(handed.reference);
  await hr.getByRole('button', { name: 'Check passport' }).click();
  assert.equal(hr.url(), handed.resultUrl);
  assert.equal(await h1(hr), `Passport of ${WORKER_NAME}`);

  // 3. Paste it, and accept.
  await hr.goto('/hr/passports/receive');
  await hr.getByLabel('Paste the passport').fill(handed.token);
  await hr.getByRole('button', { name: 'Check passport' }).click();
  assert.equal(hr.url(), handed.resultUrl);
  const accepting = await main(hr).locator('.app-evaluation .nhsuk-tag', { hasText: 'Accepted' }).count();
  const local = (await main(hr).locator('.app-still-required li').allInnerTexts()).map((t) => t.trim());
  await hr.getByRole('button', { name: 'Accept passport' }).click();
  await hr.waitForURL(/\/hr\/passports\/accepted\/[0-9a-f-]{36}$/);
  assert.equal(await h1(hr), 'Passport accepted');
  assert.match(await main(hr).locator('.nhsuk-panel__body').innerText(), new RegExp(`${accepting} items from ${ISSUER} now count for ${WORKER_NAME} at ${RIVERSIDE}`));
  assert.match(await main(hr).locator('.app-checks-saved').innerText(), new RegExp(`^${accepting} checks and training accepted`));
  await look(hr, 'hr-passport-accepted');
  const acceptedUrl = hr.url();

  // The items the agreement has Riverside check itself (the live register, right to work) still
  // stand between the worker and Riverside's shifts. The accepted page links to each; the API,
  // asked independently, says which credentials they are.
  const accepted = await atRiverside(workerToken);
  assert.equal(accepted.compliant, local.length === 0, 'compliant once nothing is left to check here');
  assert.ok(local.length > 0, 'the agreement leaves something for Riverside to check');
  const hrToken = await apiToken(RIVERSIDE_HR, DEMO_PASSWORD);
  const weighed = await graphql(
    'query($k:String!,$t:UUID!){ evaluatePassport(token:$k, trustId:$t){ items { kindName decision credentialId } } }',
    { k: handed.token, t: RIVERSIDE_ID },
    hrToken,
  );
  const toCheck = weighed.evaluatePassport.items.filter((i) => i.decision === 'NEEDS_LOCAL_CHECK');
  assert.deepEqual(toCheck.map((i) => i.kindName).sort(), [...local].sort(), 'the result page listed what is left to check');
  const left = main(hr).locator('.app-to-check');
  assert.equal(
    (await main(hr).getByRole('heading', { level: 3, name: /^Check the .* left here$/ }).innerText()).trim(),
    local.length === 1 ? 'Check the item left here' : `Check the ${local.length} items left here`,
  );
  const links = await left.getByRole('link').evaluateAll((as) => as.map((a) => ({ name: a.textContent.trim(), href: a.getAttribute('href') })));
  assert.deepEqual(
    links.map((l) => l.href).sort(),
    toCheck.map((i) => `/hr/credentials/${i.credentialId}`).sort(),
    'a link to each item left to check, and to nothing else',
  );

  // Riverside's HR checks each one as a user: opens its page from the accepted page, reads what
  // Northfield recorded (and the document, if one was sent), and accepts Northfield's check.
  const row = (key) => main(hr).locator('.nhsuk-summary-list__row', { hasText: key }).locator('dd');
  for (const [n, link] of links.entries()) {
    if (n > 0) await hr.goto(acceptedUrl); // back to the accepted page for the next one
    await main(hr).locator('.app-to-check').getByRole('link', { name: link.name, exact: true }).click();
    await hr.waitForURL(new RegExp(`${link.href}$`));
    assert.equal(await h1(hr), link.name);
    assert.match(await main(hr).locator('.nhsuk-caption-l').innerText(), new RegExp(WORKER_NAME));
    assert.equal((await main(hr).locator('.app-status').innerText()).trim(), 'Verified');
    assert.equal((await row('Verified by').innerText()).trim(), ISSUER);
    assert.equal((await row(`Counts at ${RIVERSIDE}`).innerText()).trim(), 'No');
    // The document, as HR would look at it: shown in the page, or the page says there is none.
    const image = main(hr).locator('.app-evidence__image');
    if (await image.count()) {
      assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0), 'the document shows');
    } else {
      assert.match(await main(hr).innerText(), /No document was sent with this\./);
    }
    assert.match(await main(hr).innerText(), new RegExp(`${ISSUER} verified this\\. Accept their check to count it at ${RIVERSIDE} too\\.`));
    await look(hr, `hr-passport-local-check-${n + 1}`);
    await hr.getByRole('button', { name: 'Accept their check' }).click();
    await hr.waitForURL(new RegExp(`${link.href}\\?done=accepted$`));
    assert.equal((await main(hr).locator('.app-done .nhsuk-notification-banner__heading').innerText()).trim(), 'Accepted. It now counts at your trust.');
    assert.equal((await row(`Counts at ${RIVERSIDE}`).innerText()).trim(), 'Yes');
    assert.equal(await hr.getByRole('button', { name: 'Accept their check' }).count(), 0, 'nothing more to accept');
    assert.match(await main(hr).locator('.app-history').innerText(), new RegExp(`Counted at ${RIVERSIDE}`));
    await look(hr, `hr-passport-local-check-${n + 1}-accepted`);
  }
  await hr.goto('/hr/passports');
  assert.equal(await saved(), accepting, 'the checks saved, on the passports page');
  await hr.context().close();

  // Now the worker is compliant at Riverside (the API's view), and books its shift on its page.
  const now = await atRiverside(workerToken);
  assert.equal(now.compliant, true, 'compliant at Riverside through the passport and the local checks');
  assert.equal(now.eligibility.eligible, true, `may book the Riverside shift: ${JSON.stringify(now.eligibility.reasons)}`);
  const booking = await newPage(browser);
  await signIn(booking);
  await booking.goto(`/worker/shifts/${SHIFT_ID}`);
  assert.match(await main(booking).innerText(), new RegExp(RIVERSIDE));
  await look(booking, 'hr-passport-riverside-shift');
  await booking.getByRole('button', { name: 'Book this shift' }).click();
  await booking.getByRole('heading', { level: 1, name: 'Check the shift before you book' }).waitFor();
  await booking.getByRole('button', { name: 'Confirm booking' }).click();
  await booking.getByRole('heading', { level: 1, name: 'Shift booked' }).waitFor();
  assert.match(await main(booking).innerText(), new RegExp(`${RIVERSIDE} expects you on the ward`));
  await look(booking, 'hr-passport-riverside-booked');
  await booking.context().close();
  const mine = await graphql(
    '{ myBookings(activeOnly: true, first: 50){ nodes { state shift { id } } } }',
    {},
    workerToken,
  );
  assert.deepEqual(
    mine.myBookings.nodes.filter((b) => b.shift.id === SHIFT_ID).map((b) => b.state),
    ['BOOKED'],
    'booked, as the API sees it',
  );
});

test('without JavaScript, Riverside HR uploads the file and sees the same result', async () => {
  assert.ok(handed.file, 'the first test handed over the file');
  const hr = await newPage(browser, { javaScript: false });
  await signIn(hr, RIVERSIDE_HR, DEMO_PASSWORD);
  await hr.goto('/hr/passports/receive');
  await hr.getByRole('button', { name: 'Check passport' }).click();
  assert.match(await hr.title(), /^Error: /);
  await hr.getByLabel('Or upload the passport file').setInputFiles(handed.file);
  await hr.getByRole('button', { name: 'Check passport' }).click();
  assert.equal(hr.url(), handed.resultUrl);
  assert.equal(await h1(hr), `Passport of ${WORKER_NAME}`);
  await shot(hr, 'hr-passport-result-no-js');
  await hr.context().close();
});

/** The card of the newest passport on a worker's passports page. */
const newest = (page) => main(page).locator('.app-hr-passport').first();
const banner = async (page) => (await main(page).locator('.nhsuk-notification-banner__heading').innerText()).trim();

test('Northfield HR issues a passport, then suspends, reinstates and revokes it', async () => {
  const hr = await newPage(browser);
  await signIn(hr, NORTHFIELD_HR, DEMO_PASSWORD);
  await hr.goto('/hr/passports');
  await hr.getByLabel('Name of the worker').fill('Amara');
  await hr.getByRole('button', { name: 'Find worker' }).click();
  await look(hr, 'hr-passports-search');
  await main(hr).getByRole('link', { name: WORKER_NAME }).first().click();
  assert.equal(await h1(hr), `Passports of ${WORKER_NAME}`);
  const before = await main(hr).locator('.app-hr-passport').count();
  assert.ok(before >= 1, 'the passport issued before the journey');
  await look(hr, 'hr-passports-worker');

  await hr.getByRole('button', { name: 'Issue a passport' }).click();
  assert.equal(await h1(hr), `Issue a passport to ${WORKER_NAME}?`);
  await look(hr, 'hr-passport-issue');
  await hr.getByRole('button', { name: 'Issue passport' }).click();
  assert.equal(await banner(hr), `Passport issued. ${WORKER_NAME} can now share it with another trust.`);
  assert.equal(await main(hr).locator('.app-hr-passport').count(), before + 1);
  assert.equal((await newest(hr).locator('.nhsuk-tag').innerText()).trim(), 'Active');

  // Suspend: a reason is required.
  await newest(hr).getByRole('link', { name: /^Suspend/ }).click();
  assert.equal(await h1(hr), `Suspend the passport of ${WORKER_NAME}?`);
  await look(hr, 'hr-passport-suspend');
  await hr.getByRole('button', { name: 'Suspend passport' }).click();
  await assertErrors(hr, ['Enter why you are suspending the passport']);
  await look(hr, 'hr-passport-suspend-no-reason');
  await hr.getByLabel('Why are you').fill('We are checking a concern about a reference');
  await hr.getByRole('button', { name: 'Suspend passport' }).click();
  assert.equal(await banner(hr), 'Passport suspended. No trust can accept it until you reinstate it.');
  assert.equal((await newest(hr).locator('.nhsuk-tag').innerText()).trim(), 'Suspended');
  assert.match(await newest(hr).innerText(), /Why it is suspended\s+We are checking a concern about a reference/);

  // Reinstate: no reason asked.
  await newest(hr).getByRole('link', { name: /^Reinstate/ }).click();
  assert.equal(await h1(hr), `Reinstate the passport of ${WORKER_NAME}?`);
  assert.equal(await hr.getByLabel('Why are you').count(), 0, 'no reason asked to reinstate');
  await look(hr, 'hr-passport-reinstate');
  await hr.getByRole('button', { name: 'Reinstate passport' }).click();
  assert.equal(await banner(hr), 'Passport reinstated. Trusts can accept it again.');
  assert.equal((await newest(hr).locator('.nhsuk-tag').innerText()).trim(), 'Active');

  // Revoke: a reason is required; afterwards nothing more can be done to it.
  await newest(hr).getByRole('link', { name: /^Revoke/ }).click();
  assert.equal(await h1(hr), `Revoke the passport of ${WORKER_NAME}?`);
  const revokeUrl = hr.url();
  await hr.getByRole('button', { name: 'Revoke passport' }).click();
  await assertErrors(hr, ['Enter why you are revoking the passport']);
  await hr.getByLabel('Why are you').fill('Issued in error');
  await hr.getByRole('button', { name: 'Revoke passport' }).click();
  assert.equal(await banner(hr), 'Passport revoked. No trust can accept it again.');
  assert.equal((await newest(hr).locator('.nhsuk-tag').innerText()).trim(), 'Revoked');
  assert.equal(await newest(hr).getByRole('link').count(), 0, 'nothing more to do to a revoked passport');
  await look(hr, 'hr-passports-revoked');
  // The older passport, the one Riverside accepted, is untouched.
  assert.equal((await main(hr).locator('.app-hr-passport').last().locator('.nhsuk-tag').innerText()).trim(), 'Active');

  // The same revocation sent again (an old tab): the API's refusal, the NHS way.
  await hr.goto(revokeUrl);
  await hr.getByLabel('Why are you').fill('Issued in error');
  await hr.getByRole('button', { name: 'Revoke passport' }).click();
  await assertErrors(hr, ['The passport is revoked already']);
  // The summary leads to the button the message is about, which the message describes.
  const button = hr.locator('#confirm');
  assert.equal(await button.evaluate((e) => e.tagName), 'BUTTON');
  assert.equal((await button.innerText()).trim(), 'Revoke passport');
  assert.equal(await button.getAttribute('aria-describedby'), 'confirm-error');
  assert.match(await hr.locator('#confirm-error').innerText(), /The passport is revoked already/);

  // An address with a mangled id is the service's Page not found, not a bare rejection.
  for (const path of [
    '/hr/passports/workers/not-an-id',
    '/hr/passports/workers/not-an-id/issue',
    '/hr/passports/not-an-id/suspend',
    '/hr/passports/received/not-an-id',
    '/hr/passports/accepted/not-an-id',
  ]) {
    const response = await hr.goto(path);
    assert.equal(response?.status(), 404, path);
    assert.equal(await h1(hr), 'Page not found', path);
  }
  await hr.context().close();
});

test('without JavaScript, suspending without a reason is refused and with one works', async () => {
  const hr = await newPage(browser, { javaScript: false });
  await signIn(hr, NORTHFIELD_HR, DEMO_PASSWORD);
  await hr.goto('/hr/passports?name=Amara');
  await main(hr).getByRole('link', { name: WORKER_NAME }).first().click();
  const active = main(hr).locator('.app-hr-passport', { has: hr.locator('.nhsuk-tag', { hasText: 'Active' }) }).first();
  await active.getByRole('link', { name: /^Suspend/ }).click();
  await hr.getByRole('button', { name: 'Suspend passport' }).click();
  assert.match(await hr.title(), /^Error: /);
  await hr.getByLabel('Why are you').fill('Checking a concern');
  await hr.getByRole('button', { name: 'Suspend passport' }).click();
  assert.equal(await banner(hr), 'Passport suspended. No trust can accept it until you reinstate it.');
  await shot(hr, 'hr-passport-suspended-no-js');
  await main(hr).locator('.app-hr-passport', { has: hr.locator('.nhsuk-tag', { hasText: 'Suspended' }) }).first()
    .getByRole('link', { name: /^Reinstate/ }).click();
  await hr.getByRole('button', { name: 'Reinstate passport' }).click();
  assert.equal(await banner(hr), 'Passport reinstated. Trusts can accept it again.');
  await hr.context().close();
});
