// Signing in and out, the protections around a session, GraphiQL from the binary, and where
// each role lands.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, DEMO_PASSWORD, DEMO_WORKER, assertErrors, assertNoProblems, launch, look, newPage,
  postWithoutToken, signIn,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the sign-in page explains mistakes the NHS way and keeps the email typed', async () => {
  const page = await newPage(browser);
  const response = await page.goto('/');
  assert.match(page.url(), /\/sign-in$/, 'the home page sends a visitor to sign in');
  const headers = response.request().redirectedFrom()
    ? (await page.goto('/sign-in')).headers()
    : response.headers();
  assert.match(headers['content-security-policy'], /script-src 'self'/);
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(headers['referrer-policy'], 'same-origin');
  await look(page, 'sign-in');

  await page.getByRole('button', { name: 'Sign in' }).click();
  await assertErrors(page, ['Enter your email address', 'Enter your password']);
  await look(page, 'sign-in-errors');

  await page.getByLabel('Email address').fill(DEMO_WORKER);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await assertErrors(page, [
    'Enter the email address and password of your staff bank account. Check them and try again.',
  ]);
  assert.equal(await page.getByLabel('Email address').inputValue(), DEMO_WORKER);
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
  await page.context().close();
});

test('a worker signs in to their home, and sign-in returns to the page asked for', async () => {
  const page = await newPage(browser);
  await page.goto('/worker/bookings');
  assert.match(page.url(), /\/sign-in\?next=%2Fworker%2Fbookings$/);
  await page.getByLabel('Email address').fill(DEMO_WORKER);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(page.url(), /\/worker\/bookings$/);
  await page.goto('/');
  assert.match(page.url(), /\/worker$/, 'a worker with one role goes straight to their home');
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'staffbank_session');
  assert.ok(session, 'a session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  assert.ok(session.expires > Date.now() / 1000, 'it ends when the token does, not with the browser');
  await page.context().close();
});

test('a form posted without its CSRF token is refused and changes nothing', async () => {
  const page = await newPage(browser);
  await signIn(page);
  const forged = await postWithoutToken(page, '/sign-out', {});
  assert.equal(forged.status(), 403);
  assert.match(await forged.text(), /This form could not be sent/);
  const forgedWrong = await postWithoutToken(page, '/sign-out', { csrf: 'x'.repeat(43) });
  assert.equal(forgedWrong.status(), 403);
  await page.goto('/worker');
  assert.match(page.url(), /\/worker$/, 'still signed in: the forged sign-out did nothing');
  await page.context().close();
});

test('after signing out, the old session cookie is refused', async () => {
  const page = await newPage(browser);
  await signIn(page);
  const session = (await page.context().cookies()).find((c) => c.name === 'staffbank_session');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You have signed out').waitFor();
  await look(page, 'signed-out');

  // Someone who kept a copy of the cookie gets nothing with it.
  const thief = await newPage(browser);
  await thief.context().addCookies([{ ...session }]);
  await thief.goto('/worker');
  assert.match(thief.url(), /\/sign-in/, 'the ended session no longer opens pages');
  await thief.context().close();
  await page.context().close();
});

test('HR staff go straight to their home and cannot open another role\'s pages', async () => {
  const page = await newPage(browser);
  await signIn(page, 'hr@northfield.staffbank.example');
  assert.match(page.url(), /\/hr$/);
  await page.getByRole('heading', { level: 1, name: 'Checks to do' }).waitFor();
  await look(page, 'hr-home');
  await page.goto('/worker');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'You cannot see this page');
  await page.context().close();
});

test('GraphiQL comes from the binary: it starts with no internet and a strict CSP', async () => {
  const page = await newPage(browser, { width: 1280 });
  const outside = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(BASE_URL) && !r.url().startsWith('data:')) outside.push(r.url());
  });
  await page.goto('/graphiql');
  await page.locator('.graphiql-container').waitFor({ timeout: 20000 });
  await page.getByText('Sign in first').first().waitFor();
  assertNoProblems(page);
  assert.deepEqual(outside, [], 'GraphiQL fetched nothing from other hosts');
  await page.screenshot({ path: `${process.env.SHOTS_DIR}/graphiql-1280.png` });
  await page.context().close();
});
