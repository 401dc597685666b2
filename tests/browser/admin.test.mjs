// The trust admin looks after their trust: the overview; sites and wards (a ward with no name
// refused, then added with its cost centre and skills); requirement profiles (added for a staff
// group, then retired after confirming); rate cards (a rate below zero refused, then a new card
// whose pay for example shifts is seen — now and under the new card — before it is saved); the
// market policy and the default release cascade (a wrong value refused, then saved); and staff
// accounts (made, given a second role, one role removed — which signs the person out at once, seen
// in their own browser).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const ADMIN = 'trust.admin@northfield.staffbank.example';
let browser;
let page;
let token;
let trustId;
let trustName;

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  await signIn(page, ADMIN);
  token = await apiToken(ADMIN);
  const me = await graphql('{ me { roles { role trust { id name } } } }', {}, token);
  ({ id: trustId, name: trustName } = me.me.roles.find((r) => r.role === 'TRUST_ADMIN').trust);
});
after(async () => { await browser?.close(); });

/** Tomorrow in London, as day, month, year. */
function tomorrow() {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric',
  }).formatToParts(new Date(Date.now() + 24 * 3600 * 1000));
  const get = (t) => parts.find((p) => p.type === t).value;
  return { day: get('day'), month: get('month'), year: get('year') };
}

test('the overview links to each part', async () => {
  await page.goto('/admin');
  await page.getByRole('heading', { level: 1 }).waitFor();
  for (const name of ['Sites and wards', 'Requirements', 'Rate cards', 'Market rules', 'Staff accounts and roles']) {
    assert.equal(await page.getByRole('link', { name, exact: true }).count() >= 1, true, `a link to ${name}`);
  }
  await look(page, 'admin-home');
});

test('sites and wards: a ward needs a name; then added with its cost centre and skills', async () => {
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Sites and wards', exact: true }).first().click();
  await page.getByRole('heading', { name: 'Sites and wards', level: 1 }).waitFor();
  await look(page, 'admin-wards');

  await page.getByRole('button', { name: 'Add site' }).click();
  await assertErrors(page, ["Enter the site's name"]);
  await page.getByLabel('Site name').fill('Eastgate Community Hospital');
  await page.getByRole('button', { name: 'Add site' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Eastgate Community Hospital added/);
  await page.getByRole('heading', { name: 'Eastgate Community Hospital' }).waitFor();

  await page.getByRole('link', { name: 'Add a ward' }).click();
  await page.getByLabel('Site').selectOption({ label: 'Eastgate Community Hospital' });
  await page.getByLabel('Cost centre').fill('EG-101');
  await page.getByRole('button', { name: 'Add ward' }).click();
  await assertErrors(page, ["Enter the ward's name"]);
  assert.equal(await page.getByLabel('Cost centre').inputValue(), 'EG-101', 'what was typed stays');
  await look(page, 'admin-ward-error');
  await page.getByLabel('Ward name').fill('Rowan Ward');
  await page.getByLabel('Skills a worker needs on this ward (optional)').fill('elderly care, dementia care');
  await page.getByRole('button', { name: 'Add ward' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Rowan Ward added/);
  const row = page.locator('.app-wards tr', { hasText: 'Rowan Ward' });
  assert.match(await row.innerText(), /EG-101/);
  assert.match(await row.innerText(), /Dementia care, Elderly care/);
  const t = await graphql('query($t:UUID!){ trust(id:$t){ wards { name costCentre requiredSkills } } }', { t: trustId }, token);
  const ward = t.trust.wards.find((w) => w.name === 'Rowan Ward');
  assert.equal(ward.costCentre, 'EG-101');
  assert.deepEqual([...ward.requiredSkills].sort(), ['DEMENTIA_CARE', 'ELDERLY_CARE']);
});

test('requirements: add one for a staff group, then retire it after confirming', async () => {
  await page.goto('/admin/requirements');
  await page.getByRole('heading', { name: 'Requirements', level: 1 }).waitFor();
  await look(page, 'admin-requirements');
  await page.getByRole('link', { name: 'Add a requirement' }).click();
  await page.getByRole('button', { name: 'Add requirement' }).click();
  await assertErrors(page, ['Select a check or training']);
  await look(page, 'admin-requirement-error');
  const kinds = (await graphql('{ credentialKinds { code name } }', {}, token)).credentialKinds;
  const kind = kinds[kinds.length - 1];
  await page.getByLabel('Check or training').selectOption(kind.code);
  await page.getByLabel('Staff group').selectOption({ label: 'Students' });
  await page.getByLabel('How old it may be, in days (optional)').fill('-5');
  await page.getByRole('button', { name: 'Add requirement' }).click();
  await assertErrors(page, ['How old it may be must be a whole number more than 0']);
  await page.getByLabel('How old it may be, in days (optional)').fill('730');
  await page.getByRole('button', { name: 'Add requirement' }).click();
  assert.match(await page.locator('.app-done').innerText(), new RegExp(`${kind.name} added`));
  await page.getByRole('heading', { name: 'Students', level: 2 }).waitFor();
  const row = page.locator('.app-requirements tr', { hasText: kind.name }).filter({ hasText: 'Every 2 years' });
  assert.equal(await row.count(), 1);

  await row.getByRole('link', { name: /Retire/ }).click();
  await page.getByRole('heading', { name: `Retire ${kind.name}?` }).waitFor();
  await look(page, 'admin-requirement-retire');
  await page.getByRole('button', { name: 'Retire requirement' }).click();
  assert.match(await page.locator('.app-done').innerText(), /retired/);
  assert.equal(await page.getByRole('heading', { name: 'Students', level: 2 }).count(), 0);
  const t = await graphql('query($t:UUID!){ trust(id:$t){ requirements { kind staffGroup } } }', { t: trustId }, token);
  assert.ok(!t.trust.requirements.some((r) => r.kind === kind.code && r.staffGroup === 'STUDENTS'));
});

test('rate cards: a rate below zero is refused; the new card is previewed, then saved', async () => {
  await page.goto('/admin/rates');
  await page.getByRole('heading', { name: 'Rate cards', level: 1 }).waitFor();
  await look(page, 'admin-rates');
  await page.getByRole('link', { name: 'Set a new rate card' }).click();
  const d = tomorrow();
  await page.getByLabel('Day', { exact: true }).fill(d.day);
  await page.getByLabel('Month', { exact: true }).fill(d.month);
  await page.getByLabel('Year', { exact: true }).fill(d.year);
  const current = await page.getByLabel('Band 5, pounds an hour').inputValue();
  assert.match(current, /^\d+\.\d\d$/, 'prefilled with the rate in force');
  await page.getByLabel('Band 5, pounds an hour').fill('-3');
  await page.getByRole('button', { name: 'Continue' }).click();
  await assertErrors(page, ['The rate for Band 5 must be more than £0']);
  assert.equal(await page.getByLabel('Band 5, pounds an hour').inputValue(), '-3', 'what was typed stays');
  await look(page, 'admin-rate-error');

  await page.getByLabel('Band 5, pounds an hour').fill('21.50');
  await page.getByLabel('Holiday pay, as a percentage of pay').fill('0');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Check the new rate card before saving it' }).waitFor();
  const rows = page.locator('.app-preview tbody tr');
  const text = await rows.allInnerTexts();
  assert.ok(text.length >= 3, 'example shifts shown');
  assert.match(text[0], /A weekday day shift/);
  assert.match(text[1], /A night shift/);
  assert.match(text[2], /A Saturday day shift/);
  if (text.length === 4) assert.match(text[3], /A bank holiday day shift/);
  // The weekday day: 8am to 4pm, 30 minutes' break, 7.5 hours at £21.50 = £161.25 with no holiday pay.
  assert.match(text[0], /£161\.25/);
  assert.match(await rows.first().locator('td').nth(3).innerText(), /£161\.25/, 'in the new card column');
  assert.match(await page.locator('.app-answers').innerText(), /Band 5\s+£21\.50 an hour \(was £/);
  assert.match(await page.locator('.app-answers').innerText(), /Band 6\s+£[\d.]+ an hour \(unchanged\)/);
  // Not saved yet.
  let cards = await graphql('query($t:UUID!){ rateCards(trustId:$t){ rates { grade hourlyRate } } }', { t: trustId }, token);
  assert.ok(!cards.rateCards.some((c) => c.rates.some((r) => r.grade === 'BAND_5' && Number(r.hourlyRate) === 21.5)), 'nothing saved before confirming');
  await look(page, 'admin-rate-check');

  await page.getByRole('button', { name: 'Change the new card' }).click();
  assert.equal(await page.getByLabel('Band 5, pounds an hour').inputValue(), '21.50', 'change keeps what was typed');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Save rate card' }).click();
  assert.match(await page.locator('.app-done').innerText(), /New rate card saved/);
  await page.locator('.app-rate-card', { hasText: 'Coming' }).waitFor();
  cards = await graphql('query($t:UUID!){ rateCards(trustId:$t){ rates { grade hourlyRate } } }', { t: trustId }, token);
  assert.ok(cards.rateCards.some((c) => c.rates.some((r) => r.grade === 'BAND_5' && Number(r.hourlyRate) === 21.5)), 'the API has the card');
  await look(page, 'admin-rates-saved');
});

test('market rules: a wrong value refused, then the policy and the cascade saved', async () => {
  await page.goto('/admin/market');
  await page.getByRole('heading', { name: 'Market rules', level: 1 }).waitFor();
  await look(page, 'admin-market');
  const dormancy = page.getByLabel(/before a worker is dormant/);
  await dormancy.fill('3');
  await page.getByRole('button', { name: 'Save market policy' }).click();
  await assertErrors(page, ['The dormancy period must be 7 to 1095 days']);
  assert.equal(await page.getByLabel(/before a worker is dormant/).inputValue(), '3');
  await look(page, 'admin-market-error');
  await page.getByLabel(/before a worker is dormant/).fill('120');
  await page.getByRole('button', { name: 'Save market policy' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Market policy saved/);
  const p = await graphql('query($t:UUID!){ marketPolicy(trustId:$t){ dormancyDays } }', { t: trustId }, token);
  assert.equal(p.marketPolicy.dormancyDays, 120);

  await page.getByLabel('When agencies are offered a shift').selectOption('start');
  await page.locator('#agency-hours').fill('');
  await page.getByRole('button', { name: 'Save release cascade' }).click();
  await assertErrors(page, ['Enter how many hours for agencies']);
  await page.locator('#agency-hours').fill('6');
  await page.getByRole('button', { name: 'Save release cascade' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Release cascade saved/);
  const c = await graphql('query($t:UUID!){ defaultCascade(trustId:$t){ audience anchor offsetMinutes } }', { t: trustId }, token);
  assert.deepEqual(c.defaultCascade.at(-1), { audience: 'AGENCY', anchor: 'START', offsetMinutes: 360 });
});

test('staff: an account made, a role given, and a role removed signs them out at once', async () => {
  await page.goto('/admin/staff');
  await page.getByRole('heading', { name: 'Staff accounts and roles', level: 1 }).waitFor();
  await look(page, 'admin-staff');
  await page.getByRole('link', { name: 'Add a staff account' }).click();
  await page.getByLabel('Full name').fill('Priya Shah');
  await page.getByLabel('Email address').fill('priya.shah@northfield.staffbank.example');
  await page.getByLabel('First password').fill('short');
  await page.getByLabel('Role').selectOption({ label: 'HR and compliance' });
  await page.getByRole('button', { name: 'Add account' }).click();
  await assertErrors(page, ['The first password must be 10 characters or more']);
  assert.equal(await page.getByLabel('Full name').inputValue(), 'Priya Shah');
  await look(page, 'admin-staff-new-error');
  await page.getByLabel('First password').fill('priya-first-password');
  await page.getByRole('button', { name: 'Add account' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Account made for Priya Shah/);

  await page.getByLabel('Email address of their staff bank account').fill('priya.shah@northfield.staffbank.example');
  await page.getByLabel('Role').selectOption({ label: 'HR and compliance' });
  await page.getByRole('button', { name: 'Give role' }).click();
  await assertErrors(page, [`priya.shah@northfield.staffbank.example already has this role at ${trustName}`]);
  await page.getByLabel('Role').selectOption({ label: 'Bank office' });
  await page.getByRole('button', { name: 'Give role' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Role given to priya\.shah@/);
  const row = page.locator('.app-staff tr', { hasText: 'Priya Shah' });
  assert.match(await row.innerText(), /HR and compliance/);
  assert.match(await row.innerText(), /Bank office/);

  // Priya signs in in her own browser.
  const priya = await newPage(browser);
  await signIn(priya, 'priya.shah@northfield.staffbank.example', 'priya-first-password');
  await priya.goto('/office');
  assert.ok(!priya.url().includes('/sign-in'), 'Priya is signed in');

  await row.getByRole('link', { name: /Remove.*Bank office/ }).click();
  await page.getByRole('heading', { name: "Remove Priya Shah's role?" }).waitFor();
  await look(page, 'admin-staff-revoke');
  await page.getByRole('button', { name: 'Remove role' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Role removed from Priya Shah\. They have been signed out/);
  const after = page.locator('.app-staff tr', { hasText: 'Priya Shah' });
  assert.doesNotMatch(await after.innerText(), /Bank office/);
  await look(page, 'admin-staff-revoked');

  // Her next page asks her to sign in again.
  await priya.goto('/office');
  assert.match(priya.url(), /\/sign-in/, 'Priya was signed out');
  await priya.context().close();
});
