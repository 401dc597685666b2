// The worker's core journey with JavaScript switched off, as some phones, locked-down NHS
// machines and slow connections leave it: sign in, find a shift, book it, send a timesheet.
// Every step is a plain link or form post; nothing waits for a script.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, look, newPage, signIn } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('with JavaScript off: sign in, find a shift, book it, send a timesheet', async () => {
  const page = await newPage(browser, { javaScript: false });
  await signIn(page);
  // The app's script marks the page as enhanced when it runs: here it must not have.
  assert.equal(await page.locator('body.js-enabled').count(), 0, 'JavaScript really is off');
  assert.match(page.url(), /\/worker$/);
  await look(page, 'nojs-home');

  await page.getByRole('link', { name: 'Find shifts' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Find shifts' }).waitFor();
  await look(page, 'nojs-find-shifts');
  const first = page.locator('.app-shift-card h3 a').first();
  const when = (await first.innerText()).trim();
  await first.click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await look(page, 'nojs-shift');

  await page.getByRole('button', { name: 'Book this shift' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check the shift before you book' }).waitFor();
  await look(page, 'nojs-book');
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.getByRole('heading', { level: 1, name: 'Shift booked' }).waitFor();
  await look(page, 'nojs-booked');

  await page.getByRole('link', { name: 'View my bookings' }).click();
  await page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor();
  assert.ok(
    (await page.getByText(when).count()) > 0,
    `my bookings lists the shift just booked (${when})`,
  );

  await page.goto('/worker/timesheets');
  await page.getByRole('link', { name: /Send timesheet/ }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Send your timesheet' }).waitFor();
  await look(page, 'nojs-timesheet-form');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check your timesheet before sending it' }).waitFor();
  await page.getByRole('button', { name: 'Send timesheet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Timesheet sent' }).waitFor();
  await look(page, 'nojs-timesheet-sent');
  await page.context().close();
});
