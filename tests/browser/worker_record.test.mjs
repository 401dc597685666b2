// The worker's record: their details, the trusts they work for and their checks and training
// with where each stands; adding a credential with its document (and a document refused for its
// size or its type, explained, nothing lost); the 48-hour week opt-out and back; a trust's request
// to engage them accepted (JavaScript off), and that engagement ended.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
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
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 0),
]);
const TEN_MB = 10 * 1024 * 1024;

/** A London date `days` from today as [day, month, year] strings. */
function dateFromToday(days) {
  const d = new Date(Date.now() + days * 86400000);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric',
  }).formatToParts(d);
  const get = (t) => parts.find((p) => p.type === t).value;
  return [get('day'), get('month'), get('year')];
}

async function fillDate(page, id, [day, month, year]) {
  await page.locator(`#${id}-day`).fill(day);
  await page.locator(`#${id}-month`).fill(month);
  await page.locator(`#${id}-year`).fill(year);
}

async function fillCredential(page, { issuer = 'NHS e-Learning for Healthcare', reference = 'MED-123456' } = {}) {
  await page.getByLabel('What is it?').selectOption({ label: 'Medicines management' });
  await page.getByLabel('Who issued it').fill(issuer);
  await page.getByLabel('Certificate or reference number (optional)').fill(reference);
  await fillDate(page, 'valid-from', dateFromToday(-10));
  await fillDate(page, 'expires', dateFromToday(3 * 365));
}

function credentialCard(page, name) {
  return page.locator('.app-credentials > li', { has: page.getByRole('heading', { name }) });
}

test('my record shows my details, the trusts I work for, and my credentials with status and expiry', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.goto('/worker/record');
  await page.getByRole('heading', { level: 1, name: 'My record' }).waitFor();
  const text = await main(page).innerText();
  for (const key of ['Name', 'Staff group', 'Grade', 'Skills', 'Home trust', 'Date of birth',
    'National Insurance number', 'Phone', 'Professional registration']) {
    assert.match(text, new RegExp(`${key}\\s`), `shows ${key}`);
  }
  assert.match(text, /Registered nursing and midwifery/);
  assert.match(text, /NMC \w+/);
  const trusts = page.locator('h2', { hasText: 'Trusts you work for' }).locator('xpath=following-sibling::dl[1]');
  assert.match(await trusts.innerText(), /Active/);
  const cards = page.locator('.app-credentials > li');
  assert.ok((await cards.count()) >= 3, 'the demo worker has their checks and training');
  const tags = await cards.locator('.nhsuk-tag').allInnerTexts();
  assert.ok(tags.includes('Verified'), `tags: ${tags}`);
  assert.match(await cards.first().innerText(), /Expires: (\d{1,2} \w+ \d{4}|Does not expire)/);
  await look(page, 'record');
  await page.context().close();
});

test('adding a credential: missing answers, a file too large and a file of the wrong type are each explained', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.goto('/worker/record');
  await page.getByRole('link', { name: 'Add a check or training certificate' }).click();
  await page.getByRole('heading', { level: 1, name: 'Add a check or training certificate' }).waitFor();
  await look(page, 'credential-new');

  const send = () => page.getByRole('button', { name: 'Add it to my record' }).click();

  // Nothing answered.
  await send();
  await assertErrors(page, [
    'Select what kind of check or training it is',
    'Enter who issued it',
    'Enter the date it was issued or completed',
    'Select a copy of the certificate or document',
  ]);
  await look(page, 'credential-new-missing');

  // A file larger than the limit: refused before anything is recorded, the answers kept.
  await fillCredential(page, { issuer: 'Too large issuer' });
  // Given as a file on disk, as a person would pick it: a 10 MB buffer would be copied through
  // the DevTools protocol, which on a busy machine outlasts the step's time limit.
  mkdirSync(SHOTS_DIR, { recursive: true });
  const bigScan = join(SHOTS_DIR, 'big-scan.pdf');
  writeFileSync(bigScan, Buffer.concat([PDF, Buffer.alloc(TEN_MB, 0x20)]));
  await page.getByLabel('Upload a copy of the certificate or document').setInputFiles(bigScan);
  await send();
  await assertErrors(page, ['The selected file must be smaller than 10MB']);
  assert.equal(await page.getByLabel('Who issued it').inputValue(), 'Too large issuer');
  assert.equal(await page.getByLabel('Certificate or reference number (optional)').inputValue(), 'MED-123456');
  assert.equal(await page.getByLabel('What is it?').inputValue(), 'MEDICINES_MANAGEMENT');
  assert.equal(await page.locator('#valid-from-year').inputValue(), dateFromToday(-10)[2]);
  await look(page, 'credential-new-too-large');
  await page.goto('/worker/record');
  assert.equal(await credentialCard(page, 'Medicines management').count(), 0, 'nothing was recorded');

  // A file of the wrong type: the API judges it by its content. The details are kept (recorded),
  // the page says plainly the document was not, and the document can be sent again.
  await page.getByRole('link', { name: 'Add a check or training certificate' }).click();
  await fillCredential(page, { issuer: 'Wrong type issuer', reference: 'MED-999' });
  await page.getByLabel('Upload a copy of the certificate or document').setInputFiles({
    name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are my notes, not a certificate'),
  });
  await send();
  await assertErrors(page, ['The selected file must be a PDF, JPG or PNG']);
  await page.getByRole('heading', { name: 'Your Medicines management is saved, but the document is not' }).waitFor();
  const saved = await page.locator('.nhsuk-summary-list').innerText();
  assert.match(saved, /Issued by\s+Wrong type issuer/);
  assert.match(saved, /Reference\s+MED-999/);
  await look(page, 'credential-wrong-type');
  await page.getByLabel('Upload a copy of the certificate or document').setInputFiles({
    name: 'certificate.png', mimeType: 'image/png', buffer: PNG,
  });
  await page.getByRole('button', { name: 'Add document' }).click();
  await page.getByText('Your document has been added').waitFor();
  const card = credentialCard(page, 'Medicines management');
  assert.equal(await card.count(), 1);
  assert.match(await card.innerText(), /Waiting for checks/);
  assert.match(await card.innerText(), /Document: certificate\.png/);
  await page.context().close();
});

test('a worker adds a credential with its PDF and sees it waiting for checks', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.goto('/worker/record/credentials/new');
  await page.getByLabel('What is it?').selectOption({ label: 'Fire safety' });
  await page.getByLabel('Who issued it').fill('St Elsewhere Training');
  await fillDate(page, 'valid-from', dateFromToday(-3));
  await fillDate(page, 'expires', dateFromToday(360));
  await page.getByLabel('Upload a copy of the certificate or document').setInputFiles({
    name: 'fire-safety.pdf', mimeType: 'application/pdf', buffer: PDF,
  });
  await page.getByRole('button', { name: 'Add it to my record' }).click();
  await page.getByText('Your credential has been added').waitFor();
  const card = page.locator('.app-credentials > li', { hasText: 'St Elsewhere Training' });
  assert.equal(await card.count(), 1);
  const text = await card.innerText();
  assert.match(text, /Fire safety/);
  assert.match(text, /Waiting for checks/);
  assert.match(text, /Expires: \d{1,2} \w+ \d{4}/);
  assert.match(text, /Document: fire-safety\.pdf/);
  await look(page, 'record-credential-added');
  await page.context().close();
});

test('a worker opts out of the 48-hour week and back in (JavaScript off)', async () => {
  const page = await newPage(browser, { javaScript: false });
  await signIn(page);
  await page.goto('/worker/record');
  const section = page.locator('h2#working-time').locator('xpath=following-sibling::p[1]');
  const before = await section.innerText();
  const wasOut = /You opted out/.test(before);
  assert.ok(wasOut || /You have not opted out/.test(before), `the record says where they stand: ${before}`);

  const choose = async (out) => {
    await page.getByRole('link', { name: /Change whether you opt out/ }).click();
    await page.getByRole('heading', { level: 1, name: 'The 48-hour week' }).waitFor();
    assert.match(await main(page).innerText(), /average is taken over 17 weeks/);
    assert.equal(await page.getByLabel('Yes, I want to opt out').isChecked(), !out, 'the current choice is shown');
    await page.getByLabel(out ? 'Yes, I want to opt out' : 'No, keep to an average of 48 hours a week').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/worker\/record\?done=working-time/);
  };

  await choose(!wasOut);
  const banner = page.locator('.nhsuk-notification-banner--success');
  if (wasOut) {
    assert.match(await banner.innerText(), /You have not opted out of the 48-hour week/);
    assert.match(await section.innerText(), /You have not opted out of the 48-hour average working week/);
  } else {
    assert.match(await banner.innerText(), /You have opted out of the 48-hour week/);
    assert.match(await section.innerText(), /You opted out of the 48-hour average working week on \w+day \d+ \w+ \d{4}/);
  }
  await lookNoScript(page, 'record-working-time-changed');

  await choose(wasOut);
  assert.equal(await section.innerText(), before.trim(), 'back where they started');
  await page.context().close();
});

test('the working-time page reads well with JavaScript on', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.goto('/worker/record/working-time');
  await look(page, 'working-time');
  await page.context().close();
});

test("a worker accepts a trust's request to engage them (JavaScript off), then ends it", async () => {
  // The demo has one request waiting: a second trust of the bank asked to engage the demo worker.
  const TRUST = 'Riverside and Fells Hospitals NHS Trust';
  const page = await newPage(browser, { javaScript: false });
  await signIn(page);
  await page.goto('/worker/record');
  const requests = page.locator('h2#requests').locator('xpath=following-sibling::dl[1]');
  assert.match(await requests.innerText(), new RegExp(`${TRUST}\\s+Asked on \\w+day \\d+ \\w+ \\d{4}`));
  const trusts = page.locator('h2#trusts').locator('xpath=following-sibling::dl[1]');
  assert.doesNotMatch(await trusts.innerText(), new RegExp(TRUST), 'not engaged before accepting');
  await lookNoScript(page, 'record-request-waiting');

  await page.getByRole('link', { name: `Accept ${TRUST}'s request` }).click();
  await page.getByRole('heading', { level: 1, name: `Accept ${TRUST}'s request?` }).waitFor();
  assert.match(await main(page).innerText(), /date of birth, National Insurance number/);
  await lookNoScript(page, 'engagement-accept');
  await page.getByRole('button', { name: 'Accept', exact: true }).click();
  await page.waitForURL(/\/worker\/record\?done=accepted/);
  assert.match(await page.locator('.nhsuk-notification-banner--success').innerText(),
    new RegExp(`${TRUST} can now see your full record`));
  assert.equal(await page.locator('h2#requests').count(), 0, 'no request left to answer');
  assert.match(await trusts.innerText(), new RegExp(TRUST));
  await lookNoScript(page, 'record-request-accepted');
  await page.context().close();

  const js = await newPage(browser);
  await signIn(js);
  await js.goto('/worker/record');
  await look(js, 'record-engaged');
  await js.getByRole('link', { name: `End working for ${TRUST}` }).click();
  await js.getByRole('heading', { level: 1, name: `Stop working for ${TRUST} through the bank?` }).waitFor();
  assert.match(await main(js).innerText(), /Shifts you have already booked/);
  await look(js, 'engagement-end');
  await js.getByRole('button', { name: 'Stop working for them' }).click();
  await js.waitForURL(/\/worker\/record\?done=ended/);
  assert.match(await js.locator('.nhsuk-notification-banner--success').innerText(),
    new RegExp(`You no longer work for ${TRUST} through the bank`));
  const after = js.locator('h2#trusts').locator('xpath=following-sibling::dl[1]');
  assert.doesNotMatch(await after.innerText(), new RegExp(TRUST));
  assert.match(await after.innerText(), /Your home trust/);
  assert.equal(await js.getByRole('link', { name: /^End working for/ }).count(), 0, 'the home trust cannot be ended');
  // The ended trust is listed apart, with the day it ended.
  const past = js.locator('h2#past-trusts').locator('xpath=following-sibling::dl[1]');
  assert.match(await past.innerText(), new RegExp(`${TRUST}\\s+You stopped working for them on \\d{1,2} \\w+ \\d{4}`));
  await look(js, 'record-engagement-ended');
  await js.context().close();
});
