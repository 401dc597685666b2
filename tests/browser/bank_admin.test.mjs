// The collaborative bank's system admin at work: their home; admitting a trust (nothing typed,
// then a wrong ODS code, each refused the NHS way with what was typed kept); changing the
// passporting agreement through its check-answers page; rotating a trust's signing key and
// retiring the replaced one, each confirmed first; filtering the access audit by trust, worker,
// reason and days and downloading it as CSV; the recharge statement between trusts; and the
// trusts compared side by side, as charts with their numbers in tables. A bank office is kept out.
//
// The Rust side made one look for the audit: TRUST_NAME's bank office checked WORKER_NAME
// (WORKER_ID), a worker of another trust.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const ADMIN = 'admin@lakes-moors.staffbank.example';
const OFFICE = 'bank.office@northfield.staffbank.example';
const { WORKER_ID, WORKER_NAME, TRUST_ID, TRUST_NAME } = process.env;
let browser;
let page;
let token;
let bank;

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  await signIn(page, ADMIN);
  token = await apiToken(ADMIN);
  bank = (await graphql('{ collaborativeBanks { id name } }', {}, token)).collaborativeBanks[0];
});
after(async () => { await browser?.close(); });

test('the system admin lands on their home, which names the bank and its parts', async () => {
  await page.goto('/');
  await page.waitForURL(/\/bank-admin$/);
  await page.getByRole('heading', { level: 1, name: 'Manage the collaborative bank' }).waitFor();
  assert.match(await page.locator('.nhsuk-caption-l').innerText(), new RegExp(bank.name));
  for (const part of ['Trusts', 'Passporting agreement', 'Access audit', 'Compare the trusts']) {
    assert.equal(await page.getByRole('link', { name: part, exact: true }).count() >= 1, true, part);
  }
  await look(page, 'bank-admin-home');
});

test('the admin admits a trust; nothing typed and a wrong ODS code are refused', async () => {
  await page.goto('/bank-admin');
  await page.getByRole('link', { name: 'Trusts', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Trusts' }).waitFor();
  assert.match(await page.locator('#trusts').innerText(), new RegExp(TRUST_NAME));
  await look(page, 'bank-admin-trusts');

  await page.getByRole('button', { name: 'Admit a trust' }).click();
  await page.getByRole('heading', { level: 1, name: 'Admit a trust' }).waitFor();
  await page.getByRole('button', { name: 'Admit trust' }).click();
  await assertErrors(page, ["Enter the trust's name", "Enter the trust's ODS code"]);

  await page.getByLabel('Trust name').fill('Riverside Community NHS Trust');
  await page.getByLabel('ODS code').fill('R!X');
  await page.getByRole('button', { name: 'Admit trust' }).click();
  await assertErrors(page, ['ODS code must be 3 to 5 letters and numbers, like RXP']);
  assert.equal(await page.getByLabel('Trust name').inputValue(), 'Riverside Community NHS Trust', 'the name typed stays');
  assert.equal(await page.getByLabel('ODS code').inputValue(), 'R!X', 'the code typed stays');
  await look(page, 'bank-admin-admit-error');
  const before = (await graphql('query($b:UUID!){ collaborativeBank(id:$b){ trusts { id } } }', { b: bank.id }, token))
    .collaborativeBank.trusts.length;

  await page.getByLabel('ODS code').fill('zq9');
  await page.getByRole('button', { name: 'Admit trust' }).click();
  await page.getByRole('heading', { level: 1, name: 'Trusts' }).waitFor();
  assert.match(await page.locator('.app-done').innerText(), /Riverside Community NHS Trust \(ZQ9\) is now a member of the bank/);
  assert.match(await page.locator('#trusts').innerText(), /Riverside Community NHS Trust\s+(ODS code\s+)?ZQ9/);
  const trusts = (await graphql('query($b:UUID!){ collaborativeBank(id:$b){ trusts { name odsCode } } }', { b: bank.id }, token))
    .collaborativeBank.trusts;
  assert.equal(trusts.length, before + 1, 'one trust admitted');
  assert.ok(trusts.some((t) => t.odsCode === 'ZQ9' && t.name === 'Riverside Community NHS Trust'));
  await look(page, 'bank-admin-admitted');

  // The same code again: the API's refusal, on the field it is about.
  await page.goto('/bank-admin/trusts/new');
  await page.getByLabel('Trust name').fill('Another Riverside Trust');
  await page.getByLabel('ODS code').fill('ZQ9');
  await page.getByRole('button', { name: 'Admit trust' }).click();
  await assertErrors(page, ['A trust with ODS code ZQ9 is already a member of a bank']);
});

test('the admin changes the passporting agreement, checking the answers first', async () => {
  await page.goto('/bank-admin');
  await page.getByRole('link', { name: 'Passporting agreement', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Passporting agreement' }).waitFor();
  assert.ok(await page.locator('#rules tbody tr').count() > 0, 'every kind listed');
  await look(page, 'bank-admin-agreement');

  await page.getByRole('button', { name: 'Change the agreement' }).click();
  await page.getByRole('heading', { level: 1, name: 'Change the passporting agreement' }).waitFor();
  await page.getByLabel('Longest a passport may be valid, in days').fill('a year');
  await page.getByRole('button', { name: 'Continue' }).click();
  await assertErrors(page, ['The longest a passport may be valid must be a whole number of days, like 365']);
  assert.equal(await page.getByLabel('Longest a passport may be valid, in days').inputValue(), 'a year');
  await look(page, 'bank-admin-agreement-error');

  await page.getByLabel('Longest a passport may be valid, in days').fill('365');
  // The first kind: accepted from passports, at most 400 days old.
  const first = page.locator('input[id^="recognised-"]').first();
  const kind = (await first.getAttribute('id')).replace('recognised-', '');
  await first.check();
  await page.locator(`#oldest-${kind}`).fill('400');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check the new passporting agreement' }).waitFor();
  assert.equal((await page.locator('#max-days').innerText()).trim(), '365 days');
  const row = page.locator(`#rules tr[data-kind="${kind}"]`);
  assert.match(await row.innerText(), /Yes[\s\S]*400 days/);
  await look(page, 'bank-admin-agreement-check');

  // Changing an answer goes back to the form with everything kept.
  await page.getByRole('button', { name: 'Change your answers' }).click();
  await page.getByRole('heading', { level: 1, name: 'Change the passporting agreement' }).waitFor();
  assert.equal(await page.getByLabel('Longest a passport may be valid, in days').inputValue(), '365');
  assert.equal(await page.locator(`#oldest-${kind}`).inputValue(), '400');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Set the agreement' }).click();
  await page.getByRole('heading', { level: 1, name: 'Passporting agreement' }).waitFor();
  assert.match(await page.locator('.app-done').innerText(), /new passporting agreement is in force/);
  assert.equal((await page.locator('#max-days').innerText()).trim(), '365 days');
  const agreement = (await graphql(
    'query($s:UUID!){ passportingAgreement(systemId:$s){ maxPassportDays isDefault rules { kind recognised maxAgeDays } } }',
    { s: bank.id }, token,
  )).passportingAgreement;
  assert.equal(agreement.maxPassportDays, 365);
  assert.equal(agreement.isDefault, false);
  const rule = agreement.rules.find((r) => r.kind === kind);
  assert.equal(rule.recognised, true);
  assert.equal(rule.maxAgeDays, 400);
  await look(page, 'bank-admin-agreement-saved');
});

test('the admin rotates a trust key and retires the replaced one, confirming each', async () => {
  await page.goto('/bank-admin');
  await page.getByRole('link', { name: 'Keys and the trust registry', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Keys and the trust registry' }).waitFor();
  const registry = (await graphql('query($s:UUID!){ trustRegistry(systemId:$s){ url } }', { s: bank.id }, token)).trustRegistry;
  assert.equal(await page.locator('.app-registry-url a').innerText(), registry.url);
  await look(page, 'bank-admin-keys');

  for (let i = 0; i < 2; i += 1) {
    await page.getByRole('link', { name: `Rotate the key of ${TRUST_NAME}` }).click();
    await page.getByRole('heading', { level: 1, name: `Give ${TRUST_NAME} a new signing key?` }).waitFor();
    if (i === 0) await look(page, 'bank-admin-rotate');
    await page.getByRole('button', { name: 'Rotate the key' }).click();
    await page.getByRole('heading', { level: 1, name: 'Keys and the trust registry' }).waitFor();
    assert.match(await page.locator('.app-done').innerText(), new RegExp(`${TRUST_NAME} has a new signing key`));
  }
  let keys = (await graphql('query($t:UUID!){ trustKeys(trustId:$t){ kid state } }', { t: TRUST_ID }, token)).trustKeys;
  assert.equal(keys.filter((k) => k.state === 'ACTIVE').length, 1);
  const replaced = keys.filter((k) => k.state === 'ROTATED');
  assert.ok(replaced.length >= 1, 'the old key is replaced');

  await page.getByRole('link', { name: new RegExp(`^Retire Key ${replaced[0].kid.slice(0, 8)} of ${TRUST_NAME}`) }).click();
  await page.getByRole('heading', { level: 1, name: `Retire Key ${replaced[0].kid.slice(0, 8)} of ${TRUST_NAME}?` }).waitFor();
  assert.match(await page.locator('.nhsuk-warning-callout').innerText(), /cannot be undone/);
  await look(page, 'bank-admin-retire');
  await page.getByRole('button', { name: 'Retire the key' }).click();
  await page.getByRole('heading', { level: 1, name: 'Keys and the trust registry' }).waitFor();
  assert.match(await page.locator('.app-done').innerText(), /is retired/);
  keys = (await graphql('query($t:UUID!){ trustKeys(trustId:$t){ kid state } }', { t: TRUST_ID }, token)).trustKeys;
  assert.equal(keys.find((k) => k.kid === replaced[0].kid).state, 'RETIRED');
});

test('the admin filters the access audit and downloads it as CSV', async () => {
  await page.goto('/bank-admin');
  await page.getByRole('link', { name: 'Access audit', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Access audit' }).waitFor();
  assert.ok(await page.locator('.app-audit tbody tr').count() >= 1, 'the look is listed');
  await look(page, 'bank-admin-audit');

  await page.getByLabel('Trust that looked').selectOption({ label: TRUST_NAME });
  await page.getByRole('button', { name: 'Show looks' }).click();
  await page.locator('.app-audit').waitFor();
  const trusts = await page.locator('.app-audit .app-audit-trust').allInnerTexts();
  assert.ok(trusts.length >= 1);
  assert.ok(trusts.every((t) => t.includes(TRUST_NAME)), `only ${TRUST_NAME}'s looks: ${trusts}`);
  const workers = await page.locator('.app-audit .app-audit-worker').allInnerTexts();
  assert.ok(workers.some((w) => w.includes(WORKER_NAME)), `${WORKER_NAME} was looked at`);

  await page.getByLabel('Worker').selectOption({ label: WORKER_NAME });
  const why = (await page.locator('.app-audit .app-audit-why').first().innerText()).replace('Why they could', '').trim();
  await page.getByLabel('Why they could look').selectOption({ label: why });
  const today = new Date();
  await page.locator('#from-day').fill(String(today.getDate()));
  await page.locator('#from-month').fill(String(today.getMonth() + 1));
  await page.locator('#from-year').fill(String(today.getFullYear()));
  await page.getByRole('button', { name: 'Show looks' }).click();
  await page.locator('.app-audit').waitFor();
  const filtered = await page.locator('.app-audit .app-audit-worker').allInnerTexts();
  assert.ok(filtered.length >= 1 && filtered.every((w) => w.includes(WORKER_NAME)), `only ${WORKER_NAME}: ${filtered}`);
  const api = (await graphql(
    'query($s:UUID!,$t:UUID,$w:UUID){ accessAudit(systemId:$s, trustId:$t, workerId:$w, first:100){ nodes { purpose } } }',
    { s: bank.id, t: TRUST_ID, w: WORKER_ID }, token,
  )).accessAudit.nodes;
  assert.ok(filtered.length <= api.length, 'no more rows than the API has');
  await look(page, 'bank-admin-audit-filtered');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download these looks (CSV)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^access-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'when,worker_id,worker,trust_that_looked,what_they_saw,purpose');
  assert.equal(rows.length - 1, filtered.length, 'the CSV holds the filtered rows');
  const cells = rows[1].split(',');
  assert.equal(cells[1], WORKER_ID);
  assert.equal(cells[2], WORKER_NAME);
  assert.equal(cells[3].replace(/^"|"$/g, ''), TRUST_NAME);
  assert.ok(api.some((n) => n.purpose === cells[5]), `purpose ${cells[5]} is the API's`);

  // A wrong date is refused the NHS way, and what was typed is kept.
  await page.locator('#to-day').fill('31');
  await page.locator('#to-month').fill('2');
  await page.locator('#to-year').fill(String(today.getFullYear()));
  await page.getByRole('button', { name: 'Show looks' }).click();
  await assertErrors(page, ['The last day must be a real date']);
  assert.equal(await page.locator('#to-day').inputValue(), '31');
  await look(page, 'bank-admin-audit-error');
});

test('the admin reads the recharge statement for a pay period', async () => {
  await page.goto('/bank-admin');
  await page.getByRole('link', { name: 'Recharges between trusts', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Recharges between trusts' }).waitFor();
  const period = await page.getByLabel('Pay period').inputValue();
  const statement = (await graphql(
    'query($b:UUID!,$p:String!){ rechargeStatement(collaborativeBankId:$b, payPeriod:$p){ total recharges { debtor { name } creditor { name } } } }',
    { b: bank.id, p: period }, token,
  )).rechargeStatement;
  if (statement.recharges.length === 0) {
    assert.match(await page.locator('#statement').innerText(), /Nothing is owed between trusts/);
  } else {
    assert.equal(await page.locator('#statement tbody tr').count(), statement.recharges.length);
    const total = Number(statement.total).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    assert.match(await page.locator('#total').innerText(), new RegExp(`£${total.replace('.', '\\.')}`));
  }
  await look(page, 'bank-admin-recharges');
  // Another period, chosen from the list.
  await page.getByLabel('Pay period').selectOption({ index: 2 });
  await page.getByRole('button', { name: 'Show recharges' }).click();
  await page.getByRole('heading', { level: 1, name: 'Recharges between trusts' }).waitFor();
  assert.match(page.url(), /period=\d{4}-\d{2}/);
  await page.locator('#statement').waitFor();
});

test('the admin compares the trusts in charts, each with its numbers in a table', async () => {
  await page.goto('/bank-admin');
  await page.getByRole('link', { name: 'Compare the trusts', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Compare the trusts' }).waitFor();
  const trusts = (await graphql('query($b:UUID!){ collaborativeBank(id:$b){ trusts { id name } } }', { b: bank.id }, token))
    .collaborativeBank.trusts;
  for (const id of ['fill-rate', 'time-to-fill', 'agency-share', 'cancellations']) {
    const section = page.locator(`section#${id}`);
    assert.equal(await section.locator('svg[role="img"]').count(), 1, `${id} has a chart`);
    const chartName = await section.locator('svg title').textContent();
    assert.ok(chartName.length > 0, `${id}'s chart is named`);
    const rows = await section.locator('table tbody th[scope="row"]').allInnerTexts();
    assert.deepEqual(rows.map((r) => r.trim()), trusts.map((t) => t.name), `${id}'s table has every trust`);
    assert.equal(await section.locator('svg rect').count(), trusts.length, `${id} has a bar per trust`);
  }
  // The numbers are the API's: the trust's fill rate over the last 4 weeks.
  const to = new Date();
  const from = new Date(to.getTime() - 27 * 24 * 3600 * 1000);
  const day = (d) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const report = (await graphql(
    'query($t:UUID!,$f:NaiveDate!,$to:NaiveDate!){ trustReport(trustId:$t, from:$f, to:$to){ positions positionsFilled } }',
    { t: TRUST_ID, f: day(from), to: day(to) }, token,
  )).trustReport;
  const row = page.locator('section#fill-rate table tbody tr', { hasText: TRUST_NAME });
  const cells = await row.locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 2).map((c) => c.trim()), [String(report.positions), String(report.positionsFilled)]);
  await look(page, 'bank-admin-compare');

  await page.getByLabel('Shifts starting in').selectOption({ label: 'The last 13 weeks (about 3 months)' });
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.getByRole('heading', { level: 1, name: 'Compare the trusts' }).waitFor();
  assert.match(page.url(), /weeks=13/);
  assert.equal(await page.locator('svg.app-chart').count(), 4);
});

test('a bank office cannot open the system admin pages', async () => {
  const other = await newPage(browser);
  await signIn(other, OFFICE);
  const response = await other.goto('/bank-admin/audit');
  assert.equal(response.status(), 403);
  await other.getByRole('heading', { level: 1, name: 'You cannot see this page' }).waitFor();
  await other.context().close();
});
