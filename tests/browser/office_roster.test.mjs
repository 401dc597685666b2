// The bank office posts a fortnight of shifts from a roster file: the upload page documents the
// columns and offers the template; files that are not roster files are refused with the reason;
// a file with bad rows shows every problem by row and column and posts nothing; a good file is
// previewed, then posted all at once (the progress bar shows while it is sent); the same file
// uploaded again points to the first upload and posts nothing new. Without JavaScript the same
// journey works by plain form posts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { DEMO_PASSWORD, SHOTS_DIR, WIDTHS, apiToken, assertErrors, assertNoProblems, graphql, launch, look, newPage, signIn } from './lib.mjs';

const OFFICE = 'bank.office@northfield.staffbank.example';
const HEADER = 'Ward,Date,Start,End,Break,Staff group,Grade,Fallback grades,Skills,Reason,Pay basis,Workers,Notes';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A London date some days from now, DD/MM/YYYY. */
function daysAhead(n) {
  const d = new Date(Date.now() + n * 86400000);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}

/** A roster of `days` days of early and late shifts on Ward 10 from `from` days ahead. */
function roster(from, days, extra = []) {
  const rows = [HEADER];
  for (let i = 0; i < days; i += 1) {
    rows.push(`Ward 10 (acute medicine),${daysAhead(from + i)},07:30,20:00,60,NURSING_MIDWIFERY_REGISTERED,Band 5,Band 4,,Sickness,,1,`);
    rows.push(`Ward 10 (acute medicine),${daysAhead(from + i)},20:00,08:00,60,NURSING_MIDWIFERY_REGISTERED,Band 5,,,Annual leave,,2,"Ask for the nurse in charge, please"`);
  }
  return [...rows, ...extra].join('\r\n') + '\r\n';
}

const file = (name, text, mimeType = 'text/csv') => ({ name, mimeType, buffer: Buffer.from(text) });

async function lookNoScript(page, name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${width}.png`), fullPage: true });
  }
  assertNoProblems(page);
}

/**
 * Forgets the 422 answers to refused uploads: with JavaScript the file goes by XMLHttpRequest,
 * whose refusal the page's problem log records; the refusal is what these steps expect.
 */
function forgetRefusals(page) {
  const kept = page.problems.filter((p) => !/^422 for .*\/office\/shifts\/upload$/.test(p));
  page.problems.splice(0, page.problems.length, ...kept);
}

async function upload(page, f) {
  await page.getByLabel('Upload a roster file').setInputFiles(f);
  // With JavaScript the file is sent in the background, then the page moves on (or, when the
  // file is refused, the form is posted as it is): either way a new page loads.
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: 'Upload and check' }).click(),
  ]);
}

/** A London date some days from now, YYYY-MM-DD (as the API takes it). */
function isoAhead(n) {
  const [d, m, y] = daysAhead(n).split('/');
  return `${y}-${m}-${d}`;
}

/** The trust's shifts starting 30 to 59 days from now (where this journey posts). */
async function wardShifts(token, trustId) {
  const data = await graphql(
    'query($t:UUID!,$f:NaiveDate!,$to:NaiveDate!){ shifts(trustId:$t, from:$f, to:$to, first:100){ edges { node { id notes positions ward { name } } } } }',
    { t: trustId, f: isoAhead(30), to: isoAhead(59) },
    token,
  );
  return data.shifts.edges;
}

test('a bank office posts a fortnight from a roster file, once', async () => {
  const token = await apiToken(OFFICE, DEMO_PASSWORD);
  const me = await graphql('{ me { roles { role trust { id } } } }', {}, token);
  const trustId = me.me.roles.find((r) => r.role === 'BANK_OFFICE').trust.id;
  const before = (await wardShifts(token, trustId)).length;
  assert.equal(before, 0);

  const page = await newPage(browser, { width: 1280 });
  await signIn(page, OFFICE, DEMO_PASSWORD);
  await page.goto('/office/shifts/new');
  await page.getByRole('link', { name: 'Post many shifts from a roster file' }).click();
  await page.getByRole('heading', { level: 1, name: 'Post shifts from a roster file' }).waitFor();
  assert.match(await page.locator('table').innerText(), /Fallback grades/);
  await look(page, 'office-roster-upload');

  // The template is a CSV with the documented columns.
  const template = await page.request.get('/office/shifts/upload/roster-template.csv');
  assert.equal(template.status(), 200);
  assert.match(template.headers()['content-type'], /^text\/csv/);
  assert.match(template.headers()['content-disposition'], /attachment/);
  assert.equal((await template.text()).split('\r\n')[0], HEADER);

  // No file; a picture; a spreadsheet with other columns; only the header.
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: 'Upload and check' }).click(),
  ]);
  await assertErrors(page, ['Select a roster file']);
  await upload(page, { name: 'rota.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]) });
  await assertErrors(page, ['The selected file is not a CSV file: save the roster as CSV (UTF-8) and upload that']);
  forgetRefusals(page);
  await look(page, 'office-roster-upload-error');
  await upload(page, file('staff.csv', 'Name,Shift,Hours\r\nSam,Early,7.5\r\n'));
  const [wrong] = await page.locator('.nhsuk-error-summary li a').allInnerTexts();
  assert.match(wrong, /does not have the template's columns: it has no column 'Ward'/);
  await upload(page, file('empty.csv', `${HEADER}\r\n`));
  assert.match((await page.locator('.nhsuk-error-summary li a').allInnerTexts())[0], /no shifts in it/);
  forgetRefusals(page);

  // Bad rows: each problem by row and column; nothing posted.
  await upload(page, file('bad rows.csv', roster(30, 2, [
    'Ward 99,01/01/2027,07:30,20:00,60,NURSING_MIDWIFERY_REGISTERED,Band 5,,,Sickness,,1,',
    `Ward 10 (acute medicine),${daysAhead(33)},7:30am,20:00,60,NURSING_MIDWIFERY_REGISTERED,Band 55,,,Sickness,,1,`,
    `Ward 10 (acute medicine),${daysAhead(34)},07:30,20:00,0,NURSING_MIDWIFERY_REGISTERED,Band 5,,,Sickness,,1,`,
  ])));
  await page.getByRole('heading', { level: 1, name: 'There are problems with the roster file' }).waitFor();
  assert.match(await page.locator('.nhsuk-error-summary').innerText(), /4 problems in the file, so no shifts have been posted/);
  const problems = await page.locator('#problems tbody tr').allInnerTexts();
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.match(problems[0], /6\s+Ward\s+there is no ward 'Ward 99' at this trust/i);
  assert.match(problems[1], /7\s+Start\s+'7:30am' is not a time/);
  assert.match(problems[2], /7\s+Grade\s+'Band 55' is not a grade/);
  assert.match(problems[3], /8\s+Break\s+A shift longer than \d+ hours needs a break/);
  await look(page, 'office-roster-problems');
  assert.equal((await wardShifts(token, trustId)).length, 0, 'a file with bad rows posts nothing');

  // A good fortnight: previewed, then posted all at once.
  const good = file('ward 10 fortnight.csv', roster(40, 14));
  await page.goto('/office/shifts/upload');
  await upload(page, good);
  await page.getByRole('heading', { level: 1, name: 'Check the shifts before posting them' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Every row of the file is right: 28 shifts/);
  const rows = await page.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 28);
  assert.match(rows[0], /2\s+Ward 10 \(acute medicine\)\s+\w+day \d+ \w+ \d{4}, 7:30am to 8pm\s+Band 5 \(or Band 4\)\s+Sickness\s+1/);
  assert.equal((await wardShifts(token, trustId)).length, 0, 'nothing posted before confirming');
  await look(page, 'office-roster-preview');
  await page.getByRole('button', { name: 'Post 28 shifts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Shifts posted from the roster file' }).waitFor();
  assert.match(await page.locator('.nhsuk-panel').innerText(), /28 shifts posted/);
  await look(page, 'office-roster-posted');
  const imports = await graphql('query($t:UUID!){ rosterImports(trustId:$t){ state rowsPosted filename } }', { t: trustId }, token);
  assert.deepEqual(imports.rosterImports[0], { state: 'POSTED', rowsPosted: 28, filename: 'ward 10 fortnight.csv' });
  const posted = await wardShifts(token, trustId);
  assert.equal(posted.length, 28);
  const nights = posted.filter((e) => e.node.notes === 'Ask for the nurse in charge, please');
  assert.equal(nights.length, 14);
  assert.ok(nights.every((e) => e.node.positions === 2 && e.node.ward.name === 'Ward 10 (acute medicine)'));

  // The same file again: the first upload, nothing new.
  await page.goto('/office/shifts/upload');
  await upload(page, { ...good, name: 'copy of ward 10 fortnight.csv' });
  await page.getByRole('heading', { level: 1, name: 'Shifts posted from the roster file' }).waitFor();
  assert.match(await page.locator('.nhsuk-inset-text').innerText(), /You uploaded this file before, on .*nothing new has been posted/);
  await look(page, 'office-roster-again');
  const again = await graphql('query($t:UUID!){ rosterImports(trustId:$t){ id } }', { t: trustId }, token);
  assert.equal(again.rosterImports.length, imports.rosterImports.length, 'no new import');
  assert.equal((await wardShifts(token, trustId)).length, 28, 'posted once');
  await page.context().close();
});

test('without JavaScript a roster file is uploaded, previewed and posted by plain form posts', async () => {
  const page = await newPage(browser, { javaScript: false, width: 360 });
  await signIn(page, OFFICE, DEMO_PASSWORD);
  await page.goto('/office/shifts/upload');
  await upload(page, file('one week.csv', roster(60, 7)));
  await page.getByRole('heading', { level: 1, name: 'Check the shifts before posting them' }).waitFor();
  await lookNoScript(page, 'office-roster-preview-nojs');
  await page.getByRole('button', { name: 'Post 14 shifts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Shifts posted from the roster file' }).waitFor();
  assert.match(await page.locator('.nhsuk-panel').innerText(), /14 shifts posted/);
  await page.context().close();
});

test('the progress bar shows while a large roster file is sent', async () => {
  const page = await newPage(browser, { width: 360 });
  await signIn(page, OFFICE, DEMO_PASSWORD);
  await page.goto('/office/shifts/upload');
  // 300 days of two shifts: 600 rows.
  await page.getByLabel('Upload a roster file').setInputFiles(file('big.csv', roster(70, 290)));
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await page.locator('[data-upload-progress-status]').waitFor({ state: 'visible' });
  await page.getByRole('heading', { level: 1, name: 'Check the shifts before posting them' }).waitFor({ timeout: 60000 });
  assert.match(await page.locator('main').innerText(), /580 shifts/);
  assert.match(await page.locator('main').innerText(), /Showing the first 50 of 580 shifts/);
  await look(page, 'office-roster-preview-large');
  await page.getByRole('button', { name: 'Post 580 shifts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Shifts posted from the roster file' }).waitFor({ timeout: 60000 });
  await page.context().close();
});
