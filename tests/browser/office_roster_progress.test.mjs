// A large roster import's page: while its shifts are being posted (another replica holds it, so
// the page holds still) it shows how far posting has got, with a "Check progress" link that
// works without JavaScript and a bar the page's script keeps up to date; when posting failed it
// says so, says nothing was posted and why, and lets the bank office try again, which posts it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { DEMO_PASSWORD, SHOTS_DIR, WIDTHS, assertNoProblems, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';
const POSTING = process.env.POSTING_IMPORT;
const FAILED = process.env.FAILED_IMPORT;

let browser;
before(async () => {
  assert.ok(POSTING && FAILED, 'the Rust side names the two imports');
  browser = await launch();
});
after(async () => { await browser?.close(); });

/** Screenshots of a page without JavaScript (axe needs JavaScript: the same page is checked with it below). */
async function lookNoScript(page, name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${width}.png`), fullPage: true });
  }
  assertNoProblems(page);
}

test('without JavaScript, a post in progress says how far it has got and Check progress looks again', async () => {
  const page = await newPage(browser, { javaScript: false, width: 360 });
  await signIn(page, OFFICE, DEMO_PASSWORD);
  await page.goto(`/office/shifts/imports/${POSTING}`);
  await page.getByRole('heading', { level: 1, name: 'Posting the shifts' }).waitFor();
  const main = page.locator('main');
  assert.match(await main.innerText(), /winter\.csv/, 'the file it came from');
  assert.match(await main.innerText(), /either every shift is posted, or none are/);
  const bar = page.getByLabel('How far posting has got');
  assert.equal(await bar.getAttribute('max'), '250');
  assert.equal(await bar.getAttribute('value'), '0');
  assert.match(await main.innerText(), /Checking the 250 shifts again before posting them/);
  assert.match(await main.innerText(), /You can leave this page: posting carries on/);
  await lookNoScript(page, 'roster-progress-nojs');
  await page.getByRole('button', { name: 'Check progress' }).click();
  await page.getByRole('heading', { level: 1, name: 'Posting the shifts' }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/office/shifts/imports/${POSTING}`, 'the same page, looked at again');
  await page.context().close();
});

test('with JavaScript, the page keeps itself up to date and passes axe', async () => {
  const page = await newPage(browser, { width: 1280 });
  await signIn(page, OFFICE, DEMO_PASSWORD);
  await page.goto(`/office/shifts/imports/${POSTING}`);
  await page.getByRole('heading', { level: 1, name: 'Posting the shifts' }).waitFor();
  const status = page.locator('[data-posting-status-text]');
  assert.equal(await status.getAttribute('aria-live'), 'polite', 'screen readers hear the changes');
  // The script takes the place of the link: it asks for the page again by itself.
  const asked = page.waitForRequest((r) => new URL(r.url()).pathname === `/office/shifts/imports/${POSTING}` && r.resourceType() !== 'document', { timeout: 15000 });
  await asked;
  assert.match(await status.innerText(), /250 shifts/);
  await look(page, 'roster-progress');
  await page.context().close();
});

test('a failed post says nothing was posted and why, and can be tried again', async () => {
  const page = await newPage(browser, { width: 360 });
  await signIn(page, OFFICE, DEMO_PASSWORD);
  await page.goto(`/office/shifts/imports/${FAILED}`);
  await page.getByRole('heading', { level: 1, name: 'The shifts could not be posted' }).waitFor();
  const callout = page.locator('.nhsuk-warning-callout');
  assert.match(await callout.innerText(), /Nothing has been posted/);
  assert.match(await callout.innerText(), /None of the 250 shifts in the file were posted/);
  assert.match(await callout.innerText(), /The person who asked for them to be posted can no longer post shifts at this trust/, 'what went wrong, in words');
  assert.ok(await page.getByRole('link', { name: 'Upload a corrected file' }).isVisible());
  await look(page, 'roster-progress-failed');
  await page.getByRole('button', { name: 'Try posting again' }).click();
  // Posted as the bank office this time: the page follows the post until it is done.
  await page.getByRole('heading', { level: 1, name: 'Shifts posted from the roster file' }).waitFor({ timeout: 60000 });
  assert.match(await page.locator('.nhsuk-panel').innerText(), /250 shifts posted/);
  await look(page, 'roster-progress-posted');
  await page.context().close();
});
