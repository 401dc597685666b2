// What every browser test shares: Chromium started the way this machine allows, a page per
// context (JavaScript on, or off for the no-JavaScript journeys), sign-in, and `look(page, name)`,
// which checks the page with axe-core at 360 px and 1280 px wide (0 WCAG 2.2 AA violations) and
// saves a full-page screenshot of each width for a person to look at.
//
// The Rust harness (tests/e2e/browser.rs) starts the real server and runs each test file with:
//   BASE_URL     the server, e.g. http://127.0.0.1:41234
//   SHOTS_DIR    where screenshots go (under target/)
//   CHROMIUM     the browser executable
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
// Injected through the DevTools protocol (page.evaluate), which the pages' CSP rightly does not
// let a <script> tag do.
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
export const SHOTS_DIR = process.env.SHOTS_DIR ?? 'target/screenshots';
export const WIDTHS = [360, 1280];
export const DEMO_PASSWORD = 'staffbank-demo';
export const DEMO_WORKER = 'nurse@worker.staffbank.example';
// `PAGE_CHECKS=off`: `look` checks only for script errors, CSP violations and missing files,
// without axe or screenshots. The Rust harness says so for a journey's PostgreSQL run, whose
// SQLite twin walks the same pages and checks each with axe at both widths (the markup comes from
// the same templates; what differs between the databases is what the journey's assertions check).
export const PAGE_CHECKS = process.env.PAGE_CHECKS !== 'off';

/** Starts Chromium (headless, no sandbox as root, no calls out to Google's services). */
export async function launch() {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A new browser context and page: a phone-sized window by default, JavaScript on unless
 * `javaScript: false`. Page errors and CSP violations fail the test.
 */
export async function newPage(browser, { javaScript = true, width = 360 } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    javaScriptEnabled: javaScript,
    viewport: { width, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  // A step that cannot happen fails in seconds, with what it waited for, not at the harness's
  // overall limit.
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  page.javaScript = javaScript;
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    // Failed loads are reported with their address below; the design system's fonts come from
    // assets.nhs.uk, which a machine without the internet cannot reach.
    if (m.type() === 'error' && !text.startsWith('Failed to load resource')) {
      page.problems.push(`console error: ${text}`);
    }
  });
  page.on('response', (r) => {
    // A page that is itself an error (a 404 asked for, a 422 form) is the test's business; a
    // missing stylesheet, script or image is a problem.
    if (r.status() >= 400 && r.request().resourceType() !== 'document') {
      page.problems.push(`${r.status()} for ${r.url()}`);
    }
  });
  page.on('requestfailed', (r) => {
    // ERR_ABORTED: the page moved on (a form posted, a link followed) before a late load such as
    // the favicon finished; nothing is missing.
    if (!r.url().startsWith('https://assets.nhs.uk/') && r.failure()?.errorText !== 'net::ERR_ABORTED') {
      page.problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
    }
  });
  return page;
}

/** Fails if the page logged script errors or CSP violations since the last call. */
export function assertNoProblems(page) {
  const problems = page.problems.splice(0);
  assert.deepEqual(problems, [], `problems on ${page.url()}`);
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page, email = DEMO_WORKER, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('load');
  assert.ok(!page.url().includes('/sign-in'), `sign-in failed: still on ${page.url()}`);
}

let axeRuns = 0;
// Where a journey's time goes, written to `<SHOTS_DIR>/timing.json` when the process ends: the
// milliseconds spent in axe and in screenshots, beside the whole run.
const started = performance.now();
const spent = { axeMs: 0, screenshotMs: 0, looks: 0 };
process.on('exit', () => {
  try {
    mkdirSync(SHOTS_DIR, { recursive: true });
    const totalMs = Math.round(performance.now() - started);
    const round = { axeMs: Math.round(spent.axeMs), screenshotMs: Math.round(spent.screenshotMs) };
    writeFileSync(join(SHOTS_DIR, 'timing.json'), JSON.stringify({ ...spent, ...round, axeRuns, totalMs }));
  } catch {
    // Timing is for people reading it; a journey does not fail for want of it.
  }
});

/**
 * Looks at the page as it is now, at each width: axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) must
 * find nothing, and a full-page screenshot is saved as `<name>-<width>.png`. In a context with
 * JavaScript off, axe cannot run: the screenshots are still saved, and the same pages are
 * checked with JavaScript on elsewhere. With `PAGE_CHECKS=off` (above), only the page's problems
 * are checked.
 */
export async function look(page, name) {
  if (!PAGE_CHECKS) {
    spent.looks += 1;
    assertNoProblems(page);
    return;
  }
  mkdirSync(SHOTS_DIR, { recursive: true });
  const original = page.viewportSize();
  spent.looks += 1;
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    if (page.javaScript) {
      const axeStart = performance.now();
      // eslint-disable-next-line no-undef
      if (!(await page.evaluate(() => typeof axe !== 'undefined'))) await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
          // Only violations are read: axe then keeps no node details for the rules that pass
          // (every rule still runs; this saves the reporting, not the checking).
          resultTypes: ['violations'],
        }),
      );
      axeRuns += 1;
      spent.axeMs += performance.now() - axeStart;
      const violations = result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
      }));
      assert.deepEqual(violations, [], `axe found violations on ${name} at ${width} px`);
    }
    const shotStart = performance.now();
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${width}.png`), fullPage: true });
    spent.screenshotMs += performance.now() - shotStart;
  }
  if (original) await page.setViewportSize(original);
  assertNoProblems(page);
}

/** How many axe runs this process made (printed at the end, so a run that checked nothing shows). */
export function axeRunCount() {
  return axeRuns;
}

/** The text of the page's error summary links, in order. */
export async function errorSummary(page) {
  const summary = page.locator('.nhsuk-error-summary');
  await summary.waitFor();
  return summary.locator('li a').allInnerTexts();
}

/**
 * Checks the NHS error pattern: the summary lists `messages` (each linking to a field that shows
 * the same message inline), and the title starts with "Error:".
 */
export async function assertErrors(page, messages) {
  const links = page.locator('.nhsuk-error-summary li a');
  assert.deepEqual((await links.allInnerTexts()).map((t) => t.trim()), messages);
  for (let i = 0; i < messages.length; i += 1) {
    const href = await links.nth(i).getAttribute('href');
    assert.ok(href?.startsWith('#'), `summary link ${i} has no field anchor`);
    const field = page.locator(href);
    assert.equal(await field.count(), 1, `summary link ${href} points at no field`);
  }
  for (const m of messages) {
    assert.ok(
      (await page.locator('.nhsuk-error-message', { hasText: m }).count()) >= 1,
      `no inline message "${m}"`,
    );
  }
  assert.match(await page.title(), /^Error: /);
}

/** A POST the way a forged cross-site form would send it: without the CSRF token. */
export async function postWithoutToken(page, path, form) {
  return page.request.post(path, { form, maxRedirects: 0, failOnStatusCode: false });
}

/** Asks the API directly (as a test's independent view of the facts a page should show). */
export async function graphql(query, variables = {}, token = undefined) {
  const response = await fetch(`${BASE_URL}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, `GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A sign-in token for the API. */
export async function apiToken(email = DEMO_WORKER, password = DEMO_PASSWORD) {
  const data = await graphql(
    'mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }',
    { e: email, p: password },
  );
  return data.login.token;
}
