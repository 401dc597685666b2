// Invitations: from the link in the email to the worker's home. Someone invited to register
// themself fills in their details and a password (mistakes explained, what they typed kept);
// a worker the bank office registered sets a password. Both arrive signed in, welcomed. A link
// used already, or cut short, gets a page that says so and what to do.
//
//   REGISTER_URL  the link in the invitation to register
//   ACCEPT_URL    the link in the invitation to set a password
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertErrors, launch, look, newPage } from './lib.mjs';

const { REGISTER_URL, ACCEPT_URL } = process.env;
const NO_LONGER_VALID = 'This invitation link is no longer valid';

let browser;
before(async () => {
  assert.ok(REGISTER_URL && ACCEPT_URL, 'the Rust side passes the links from the emails');
  browser = await launch();
});
after(async () => { await browser?.close(); });

const main = (page) => page.locator('main');

/** A page that gives up on a missing element after 10 s, so a broken step fails fast. */
async function open(options) {
  const page = await newPage(browser, options);
  page.setDefaultTimeout(10000);
  return page;
}
const h1 = async (page) => (await page.getByRole('heading', { level: 1 }).innerText()).trim();

async function assertWelcomedHome(page, name) {
  assert.match(page.url(), /\/worker\?welcome=1$/);
  await page.getByText('Welcome to the staff bank').waitFor();
  await page.locator('.nhsuk-header__account').getByText(name).waitFor();
  const session = (await page.context().cookies()).find((c) => c.name === 'staffbank_session');
  assert.ok(session?.httpOnly, 'signed in with the session cookie sign-in sets');
}

test('someone invited to register gives their details and a password, and is signed in', async () => {
  const page = await open();
  await page.goto(REGISTER_URL);
  assert.equal(await h1(page), 'Register as a bank worker');
  await main(page).getByText('Your password must have 10 to 128 characters').waitFor();
  await look(page, 'register');

  // Nothing filled in: each missing answer, the NHS way.
  await page.getByRole('button', { name: 'Register' }).click();
  await assertErrors(page, [
    'Enter your given name',
    'Enter your family name',
    'Enter your date of birth',
    'Enter your National Insurance number',
    'Select your staff group',
    'Enter your grade',
    'Enter a password',
  ]);
  await look(page, 'register-errors');

  // Everything filled in, but a National Insurance number the API refuses: its message, on that
  // field, and the rest kept.
  await page.getByLabel('Given name').fill('Sam');
  await page.getByLabel('Family name').fill('Taylor');
  await page.getByLabel('Day').fill('15');
  await page.getByLabel('Month').fill('3');
  await page.getByLabel('Year').fill('1990');
  await page.getByLabel('National Insurance number').fill('AB12');
  await page.getByLabel('Phone number (optional)').fill('07700 900123');
  await page.getByLabel('Registered nursing and midwifery').check();
  await page.getByLabel('Grade').fill('Band 5');
  await page.getByLabel('Professional registration number (if you have one)').fill('98X7654Y');
  await page.getByLabel('Skills (optional)').fill('critical care, paediatrics');
  await page.getByLabel('Create a password').fill('sam taylor nurse 2026');
  await page.getByLabel('Confirm your password').fill('sam taylor nurse 2026');
  await page.getByRole('button', { name: 'Register' }).click();
  await assertErrors(page, ["'AB12' is not a National Insurance number (e.g. AB 12 34 56 C)"]);
  assert.equal(await page.getByLabel('Given name').inputValue(), 'Sam');
  assert.equal(await page.getByLabel('Year').inputValue(), '1990');
  assert.equal(await page.getByLabel('Grade').inputValue(), 'Band 5');
  assert.ok(await page.getByLabel('Registered nursing and midwifery').isChecked());
  assert.equal(await page.getByLabel('Skills (optional)').inputValue(), 'critical care, paediatrics');
  await look(page, 'register-api-error');

  await page.getByLabel('National Insurance number').fill('JL 65 43 21 B');
  await page.getByLabel('Create a password').fill('sam taylor nurse 2026');
  await page.getByLabel('Confirm your password').fill('sam taylor nurse 2026');
  await page.getByRole('button', { name: 'Register' }).click();
  await assertWelcomedHome(page, 'Sam Taylor');
  await look(page, 'registered-home');

  // A new worker: no passport yet, and nobody has looked.
  await page.goto('/worker/passports');
  await main(page).getByText('You do not have a passport yet').waitFor();
  await look(page, 'new-worker-passports');
  await page.goto('/worker/passports/access');
  await main(page).getByText('No one from another organisation has looked at your record').waitFor();
  await look(page, 'new-worker-access-log');
  await page.context().close();
});

test('a worker the bank office registered sets a password and is signed in; the link then stops working', async () => {
  const page = await open();
  await page.goto(ACCEPT_URL);
  assert.equal(await h1(page), 'Set up your staff bank login');
  await look(page, 'accept');

  await page.getByLabel('Create a password').fill('lee morgan hca 2026');
  await page.getByLabel('Confirm your password').fill('lee morgan hca 2062');
  await page.getByRole('button', { name: 'Set up my login' }).click();
  await assertErrors(page, ['The passwords do not match. Enter the same password twice.']);
  assert.equal(await page.getByLabel('Create a password').inputValue(), '', 'passwords are not sent back');
  await look(page, 'accept-mismatch');

  // The API's password policy, in its words.
  await page.getByLabel('Create a password').fill('short');
  await page.getByLabel('Confirm your password').fill('short');
  await page.getByRole('button', { name: 'Set up my login' }).click();
  await assertErrors(page, ['A password must have 10 to 128 characters']);

  await page.getByLabel('Create a password').fill('lee morgan hca 2026');
  await page.getByLabel('Confirm your password').fill('lee morgan hca 2026');
  await page.getByRole('button', { name: 'Set up my login' }).click();
  await assertWelcomedHome(page, 'Lee Morgan');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You have signed out').waitFor();

  // The link works once.
  await page.goto(ACCEPT_URL);
  await page.getByLabel('Create a password').fill('another long password');
  await page.getByLabel('Confirm your password').fill('another long password');
  await page.getByRole('button', { name: 'Set up my login' }).click();
  assert.equal(await h1(page), NO_LONGER_VALID);
  await main(page).getByText('It has already been used').waitFor();
  await main(page).getByRole('link', { name: 'sign in' }).waitFor();
  await look(page, 'accept-used');

  // And the worker signs in with the password they set.
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill('lee.morgan@example.test');
  await page.getByLabel('Password', { exact: true }).fill('lee morgan hca 2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(page.url(), /\/worker$/);
  await page.context().close();
});

test('a link cut short says what to do', async () => {
  const page = await open();
  await page.goto('/invitation/accept');
  assert.equal(await h1(page), NO_LONGER_VALID);
  await page.goto(`${ACCEPT_URL.split('?')[0]}?code=not-the-code`);
  await page.getByLabel('Create a password').fill('a good long password');
  await page.getByLabel('Confirm your password').fill('a good long password');
  await page.getByRole('button', { name: 'Set up my login' }).click();
  assert.equal(await h1(page), NO_LONGER_VALID);
  await main(page).getByText('ask the bank office that invited you to send you a new invitation').waitFor();
  await look(page, 'accept-unknown');
  await page.context().close();
});
