// Passports and privacy: the demo worker has a passport from their home trust (issued, shared
// with one trust and read by that trust's HR on the Rust side first). They see it, share it with
// another trust after reading exactly what that trust will see, see it shared, stop sharing,
// and see who from another organisation has looked at their record.
//
//   LOOKED_TRUST  the trust whose HR read the passport before the journey
//   SHARE_TRUST   the trust the worker shares it with here
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHOTS_DIR, assertErrors, launch, look, newPage, signIn } from './lib.mjs';

const LOOKED_TRUST = process.env.LOOKED_TRUST ?? 'Eastmoor University Hospitals NHS Foundation Trust';
const SHARE_TRUST = process.env.SHARE_TRUST ?? 'Riverside and Fells Hospitals NHS Trust';
const ISSUER = 'Northfield Teaching Hospitals NHS Foundation Trust';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const main = (page) => page.locator('main');

/**
 * A screenshot only, for a page reached with JavaScript off: axe-core cannot run there (its
 * timers need JavaScript), and the same page is checked with `look` with JavaScript on.
 */
async function shot(page, name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${width}.png`), fullPage: true });
  }
}

/** A page that gives up on a missing element after 10 s, so a broken step fails fast. */
async function open(options) {
  const page = await newPage(browser, options);
  page.setDefaultTimeout(10000);
  return page;
}
const h1 = async (page) => (await page.getByRole('heading', { level: 1 }).innerText()).trim();

/** The trusts listed under "Shared with" on a passport's card. */
async function sharedWith(page) {
  const row = page.locator('.nhsuk-summary-list__row', { hasText: 'Shared with' });
  return (await row.locator('dd').innerText()).split('\n').map((s) => s.trim()).filter(Boolean);
}

/** A trust's entry under "Who you share it with" on the passport page. */
const shareEntry = (page, trust) => page.locator('.app-share', { has: page.getByRole('heading', { name: trust }) });

test('a worker shares their passport after reading what the trust will see, then stops sharing', async () => {
  const page = await open();
  await signIn(page);
  await page.goto('/worker/passports');
  assert.equal(await h1(page), 'Passports and privacy');
  const card = page.locator('.nhsuk-card', { hasText: `Passport from ${ISSUER}` });
  assert.equal(await card.count(), 1, 'one passport, from the home trust');
  assert.equal((await card.locator('.nhsuk-tag').innerText()).trim(), 'Active');
  assert.match(await card.innerText(), /checks and training items/);
  assert.deepEqual(await sharedWith(page), [LOOKED_TRUST]);
  await look(page, 'passports');

  await card.getByRole('link', { name: `Passport from ${ISSUER}` }).click();
  await page.waitForURL(/\/worker\/passports\/[0-9a-f-]{36}$/);
  const passportUrl = page.url();
  assert.equal(await h1(page), `Passport from ${ISSUER}`);
  const checksHeld = main(page).getByRole('list', { name: 'Checks' });
  assert.match(await checksHeld.innerText(), /Criminal record check \(DBS\)/);
  assert.match(await checksHeld.innerText(), /Verified by Northfield/);
  assert.ok((await main(page).getByRole('list', { name: 'Training' }).getByRole('listitem').count()) > 5);
  assert.match(await shareEntry(page, LOOKED_TRUST).innerText(), /Shared on/);
  await look(page, 'passport');

  // One question: which trust. The issuer has it already, so it is not offered.
  await page.getByRole('button', { name: 'Share with a trust' }).click();
  assert.equal(await h1(page), 'Which trust do you want to share your passport with?');
  assert.equal(await page.getByLabel(ISSUER).count(), 0, 'the issuer is not a choice');
  assert.equal(await page.getByRole('radio').count(), 4, 'the other four trusts of the bank');
  assert.match(
    await page.locator('.nhsuk-radios__item', { hasText: LOOKED_TRUST }).innerText(),
    /You already share this passport with them/,
  );
  await look(page, 'share-choose');

  await page.getByRole('button', { name: 'Continue' }).click();
  await assertErrors(page, ['Select the trust you want to share your passport with']);
  await look(page, 'share-choose-error');

  // Consent: exactly what the trust will see and what it may do, before "I agree".
  await page.getByLabel(SHARE_TRUST).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.equal(await h1(page), `Share your passport with ${SHARE_TRUST}`);
  const consent = await main(page).innerText();
  for (const words of [
    `What ${SHARE_TRUST} will see`,
    'Date of birth',
    'Registered nursing and midwifery',
    'Their HR team can check your passport is genuine and accept your checks and training',
    `Every time someone from ${SHARE_TRUST} looks at your passport, it is recorded`,
    'You can stop sharing at any time',
  ]) {
    assert.ok(consent.includes(words), `the consent page says "${words}"`);
  }
  const checks = main(page).getByRole('list', { name: 'Checks' });
  assert.match(await checks.innerText(), /Criminal record check \(DBS\)[^]*Done on \d+ \w+ \d{4}/);
  assert.ok((await checks.getByRole('listitem').count()) > 1, 'the checks are listed one by one');
  await look(page, 'share-consent');

  await page.getByRole('button', { name: 'I agree to share' }).click();
  assert.equal(await h1(page), 'Passport shared');
  await main(page).getByText(`${SHARE_TRUST} can now see your passport`).waitFor();
  await look(page, 'share-done');

  await page.getByRole('link', { name: 'your passport' }).click();
  assert.equal(page.url(), passportUrl);
  const entry = shareEntry(page, SHARE_TRUST);
  assert.equal((await entry.locator('.nhsuk-tag').innerText()).trim(), 'Shared');
  await page.goto('/worker/passports');
  assert.deepEqual((await sharedWith(page)).sort(), [LOOKED_TRUST, SHARE_TRUST].sort());

  // Stop sharing: a page to confirm, then a banner; the trust is listed as stopped.
  await page.goto(passportUrl);
  await page.getByRole('link', { name: `Stop sharing with ${SHARE_TRUST}` }).click();
  assert.equal(await h1(page), `Stop sharing your passport with ${SHARE_TRUST}?`);
  const confirmUrl = page.url();
  await look(page, 'withdraw-confirm');
  await page.getByRole('button', { name: 'Stop sharing' }).click();
  assert.equal(page.url().split('?')[0], passportUrl);
  await page.getByText(`You have stopped sharing this passport with ${SHARE_TRUST}`).waitFor();
  assert.equal((await shareEntry(page, SHARE_TRUST).locator('.nhsuk-tag').innerText()).trim(), 'Stopped');
  assert.equal((await shareEntry(page, LOOKED_TRUST).locator('.nhsuk-tag').innerText()).trim(), 'Shared');
  await look(page, 'withdrawn');
  await page.goto('/worker/passports');
  assert.deepEqual(await sharedWith(page), [LOOKED_TRUST]);

  // The same confirmation sent again (an old tab): the API's refusal, the NHS way.
  await page.goto(confirmUrl);
  await page.getByRole('button', { name: 'Stop sharing' }).click();
  await assertErrors(page, ['This share was withdrawn already']);
  await look(page, 'withdraw-again');
  await page.context().close();
});

test('the worker sees who from another organisation looked at their record', async () => {
  const page = await open();
  await signIn(page);
  await page.goto('/worker/passports');
  await page.getByRole('link', { name: 'See who has looked at your record' }).click();
  assert.equal(await h1(page), 'Who has looked at your record');
  const rows = main(page).locator('tbody tr');
  assert.ok((await rows.count()) >= 1, 'the look before the journey is listed');
  const first = await rows.first().innerText();
  assert.match(first, new RegExp(LOOKED_TRUST));
  assert.match(first, /Your passport/);
  assert.match(first, /You shared your passport with them/);
  assert.match(first, /\d{4} at \d/, 'when, as a date and time');
  assert.equal(await main(page).getByText('No one from another organisation has looked at your record').count(), 0);
  await look(page, 'access-log');
  await page.context().close();
});

test('sharing works without JavaScript', async () => {
  const page = await open({ javaScript: false });
  await signIn(page);
  await page.goto('/worker/passports');
  await page.getByRole('link', { name: `Passport from ${ISSUER}` }).click();
  await page.getByRole('button', { name: 'Share with a trust' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await assertErrors(page, ['Select the trust you want to share your passport with']);
  await page.getByLabel(SHARE_TRUST).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.equal(await h1(page), `Share your passport with ${SHARE_TRUST}`);
  await page.getByRole('button', { name: 'I agree to share' }).click();
  assert.equal(await h1(page), 'Passport shared');
  await shot(page, 'share-done-no-js');
  await page.context().close();
});
