// HR at Northfield works through their checks: the queue (filtered by check and staff group, a
// wrong filter explained); the demo's waiting check, verified while looking at its document (an
// image in the page that loads, and a download), then revoked (an empty reason refused first);
// another check rejected (an empty reason refused first); a worker's compliance at a chosen
// ward, with where each met item came from; what expires soon, with the booked shift an expiry
// would hit (and a wrong number of days explained); and who has looked at a worker's record.
//
// The Rust side engaged a worker of another trust at Northfield (OTHER_ID, OTHER_NAME) and gives
// the journey the trust's id (TRUST_ID).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiToken, assertErrors, graphql, launch, look, newPage, signIn } from './lib.mjs';

const HR = 'hr@northfield.staffbank.example';
const { TRUST_ID, OTHER_ID, OTHER_NAME } = process.env;
let browser;
let page;
let token;

const QUEUE = `query($t:UUID!){ credentialsAwaitingVerification(trustId:$t, first:100){ nodes {
  credential { id kind kindName status evidence { contentType } } worker { id givenName familyName } } } }`;

before(async () => {
  browser = await launch();
  page = await newPage(browser);
  await signIn(page, HR);
  token = await apiToken(HR);
});
after(async () => { await browser?.close(); });

async function queue() {
  return (await graphql(QUEUE, { t: TRUST_ID }, token)).credentialsAwaitingVerification.nodes;
}

async function statusOf(id) {
  return (await graphql('query($id:UUID!){ credential(id:$id){ status } }', { id }, token)).credential.status;
}

test('HR lands on the checks to do, and filters them', async () => {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Checks to do' }).waitFor();
  const waiting = await queue();
  assert.ok(waiting.length > 0, 'the demo has checks waiting');
  const rows = page.locator('.app-queue tbody tr');
  assert.equal(await rows.count(), Math.min(waiting.length, 20), 'the page lists what the API has');
  await look(page, 'hr-checks');

  const first = waiting[0];
  await page.getByLabel('Check').selectOption(first.credential.kind);
  await page.getByRole('button', { name: 'Filter' }).click();
  const names = await page.locator('.app-queue .app-check-link').allInnerTexts();
  assert.ok(names.length > 0 && names.length <= waiting.length);
  assert.ok(names.some((n) => n.startsWith(`${first.worker.givenName} ${first.worker.familyName}`)));
  assert.ok((await page.locator('.app-queue tbody').innerText()).includes(first.credential.kindName));
  assert.equal(await page.getByLabel('Check').inputValue(), first.credential.kind, 'the choice stays');

  await page.goto('/hr?group=students');
  await page.getByRole('heading', { name: 'No checks waiting' }).waitFor();
  await page.goto('/hr?kind=NOT_A_CHECK');
  await assertErrors(page, ['Select a check from the list']);
  await look(page, 'hr-checks-error');
});

test('HR verifies a check looking at its document, then revokes it with a reason', async () => {
  const waiting = await queue();
  const withImage = waiting.find((n) => n.credential.evidence?.contentType === 'image/png');
  assert.ok(withImage, 'a demo check with a document');
  const { credential, worker } = withImage;
  await page.goto('/hr');
  const link = page.locator(`.app-queue a[href="/hr/credentials/${credential.id}"]`);
  assert.match(await link.innerText(), new RegExp(`^${worker.givenName} ${worker.familyName}`));
  await link.click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${credential.kindName}`) }).waitFor();
  assert.match(await page.locator('.app-status').innerText(), /Waiting to be checked/);

  // The document is in the page, and loads.
  const image = page.locator('.app-evidence__image');
  assert.equal(await image.count(), 1, 'the document is shown in the page');
  await image.evaluate((img) => (img.complete ? null : new Promise((ok) => { img.onload = ok; img.onerror = ok; })));
  assert.ok(await image.evaluate((img) => img.naturalWidth > 0), 'the image loaded');
  const src = await image.getAttribute('src');
  const shown = await page.request.get(src);
  assert.equal(shown.status(), 200);
  assert.equal(shown.headers()['content-type'], 'image/png');
  assert.match(shown.headers()['content-disposition'] ?? '', /^inline/);
  const href = await page.locator('.app-evidence__download').getAttribute('href');
  const downloaded = await page.request.get(href);
  assert.equal(downloaded.status(), 200);
  assert.match(downloaded.headers()['content-disposition'] ?? '', /^attachment/);
  assert.deepEqual(await downloaded.body(), await shown.body(), 'the download is the same document');
  await look(page, 'hr-credential');

  await page.getByRole('button', { name: 'Verify' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Verified/);
  assert.match(await page.locator('.app-status').innerText(), /Verified/);
  assert.match(await page.locator('.app-history').innerText(), /Verified by Northfield/);
  assert.equal(await statusOf(credential.id), 'VERIFIED', 'the API has the verification');
  await look(page, 'hr-credential-verified');

  await page.getByRole('button', { name: 'Revoke' }).click();
  await assertErrors(page, ['Enter why you are revoking it']);
  assert.equal(await statusOf(credential.id), 'VERIFIED', 'nothing changed');
  await look(page, 'hr-credential-revoke-error');
  await page.getByLabel('Why are you revoking it?').fill('The certificate number does not match the provider\'s records');
  await page.getByRole('button', { name: 'Revoke' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Revoked/);
  assert.match(await page.locator('.app-history').innerText(), /Revoked by Northfield.*provider's records/s);
  assert.equal(await statusOf(credential.id), 'REVOKED');
});

test('HR rejects a check only with a reason', async () => {
  // A check sent for a Northfield worker, with no document.
  const workers = (await graphql(
    'query($t:UUID!){ workers(trustId:$t, first:5){ nodes { id givenName familyName } } }', { t: TRUST_ID }, token,
  )).workers.nodes;
  const w = workers[0];
  const recorded = (await graphql(
    'mutation($i: RecordCredentialInput!){ recordCredential(input:$i){ id } }',
    { i: { workerId: w.id, kind: 'FIRE_SAFETY', issuer: 'Fire Training Ltd', validFrom: '2026-01-05' } },
    token,
  )).recordCredential;
  await page.goto(`/hr/credentials/${recorded.id}`);
  await page.getByRole('heading', { name: 'Fire safety', exact: true }).waitFor();
  assert.match(await page.locator('main').innerText(), /No document was sent with this/);
  await page.getByRole('button', { name: 'Reject' }).click();
  await assertErrors(page, ['Enter why you are rejecting it']);
  assert.equal(await statusOf(recorded.id), 'PENDING', 'nothing changed');
  await look(page, 'hr-credential-reject-error');
  await page.getByLabel('Why are you rejecting it?').fill('No certificate was attached');
  await page.getByRole('button', { name: 'Reject' }).click();
  assert.match(await page.locator('.app-done').innerText(), /Rejected/);
  assert.match(await page.locator('.app-status').innerText(), /Rejected/);
  assert.equal(await statusOf(recorded.id), 'REJECTED');
  await look(page, 'hr-credential-rejected');
});

test("a worker's compliance here and at a chosen ward", async () => {
  const w = (await graphql(
    'query($t:UUID!){ workers(trustId:$t, first:1){ nodes { id givenName familyName } } }', { t: TRUST_ID }, token,
  )).workers.nodes[0];
  const name = `${w.givenName} ${w.familyName}`;
  await page.goto('/hr');
  await page.getByRole('link', { name: 'Workers' }).first().click();
  await page.getByLabel('Name').fill(w.familyName);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name }).first().click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
  const trustWide = await page.locator('.app-requirements tbody tr').count();
  assert.ok(trustWide > 0, 'the requirements are listed');
  const api = (await graphql(
    'query($w:UUID!,$t:UUID!){ compliance(workerId:$w, trustId:$t){ items { kindName status provenance } } }',
    { w: w.id, t: TRUST_ID }, token,
  )).compliance.items;
  assert.equal(trustWide, api.length, 'one row per requirement');
  if (api.some((i) => i.provenance === 'OWN_CHECK')) {
    assert.match(await page.locator('.app-requirements').innerText(), /Our own check/);
  }
  await look(page, 'hr-worker');

  // A ward with its own requirements (the paediatric ward, if the trust has one).
  const options = await page.getByLabel('Ward').locator('option').allInnerTexts();
  const ward = options.find((o) => /Puffin/.test(o)) ?? options[1];
  await page.getByLabel('Ward').selectOption({ label: ward });
  await page.getByRole('button', { name: 'Show requirements' }).click();
  await page.getByRole('heading', { name: `Do they meet the requirements of ${ward}?` }).waitFor();
  assert.ok((await page.locator('.app-requirements tbody tr').count()) >= trustWide, 'a ward asks at least what the trust does');
  assert.equal(await page.getByLabel('Ward').locator('option:checked').innerText(), ward, 'the choice stays');
  await look(page, 'hr-worker-ward');

  await page.goto(`/hr/workers/${w.id}?ward=not-a-ward`);
  await assertErrors(page, ['Select a ward from the list']);
});

test('expiring soon, with the booked shift an expiry would hit', async () => {
  const expiring = (await graphql(
    `query($t:UUID!){ expiringAtTrust(trustId:$t){ expiresOn worker { givenName familyName } credential { kindName }
      bookingsHit { startsAt shift { ward { name } } } } }`, { t: TRUST_ID }, token,
  )).expiringAtTrust;
  const hit = expiring.find((e) => e.bookingsHit.length > 0);
  assert.ok(hit, 'the demo has a booked worker with a check expiring');
  // On a phone the navigation folds into "More": go there by the address.
  await page.goto('/hr/expiring');
  await page.getByRole('heading', { name: 'Expiring soon', level: 1 }).waitFor();
  assert.equal(await page.getByLabel('Expiring in the next').inputValue(), '30');
  const items = page.locator('.app-expiring__item');
  assert.equal(await items.count(), expiring.length, 'one entry per expiring check');
  const entry = items.filter({ hasText: `${hit.worker.givenName} ${hit.worker.familyName}` }).filter({ hasText: hit.credential.kindName });
  assert.match(await entry.innerText(), /Would stop 1 booked shift/);
  assert.ok((await entry.locator('.app-hits').innerText()).includes(hit.bookingsHit[0].shift.ward.name));
  await look(page, 'hr-expiring');

  await page.getByLabel('Expiring in the next').fill('7');
  await page.getByRole('button', { name: 'Show' }).click();
  assert.ok((await items.count()) <= expiring.length, 'fewer in 7 days');
  await page.getByLabel('Expiring in the next').fill('a month');
  await page.getByRole('button', { name: 'Show' }).click();
  await assertErrors(page, ['Days must be a whole number, like 30']);
  assert.equal(await page.getByLabel('Expiring in the next').inputValue(), 'a month', 'what was typed stays');
  await page.goto('/hr/expiring?days=400');
  await assertErrors(page, ['Days must be between 1 and 365']);
  await look(page, 'hr-expiring-error');
});

test("who has looked at a worker's record", async () => {
  // Northfield's own looks at a worker whose home is another trust are logged.
  await page.goto(`/hr/workers/${OTHER_ID}`);
  await page.getByRole('heading', { name: OTHER_NAME, exact: true }).waitFor();
  await page.getByRole('link', { name: `Who has looked at ${OTHER_NAME}'s record` }).click();
  await page.getByRole('heading', { name: 'Who has looked at their record' }).waitFor();
  const table = await page.locator('.app-access').innerText();
  assert.match(table, /Northfield Teaching Hospitals/);
  assert.match(table, /Their checks and training|Whether their checks and training meet/);
  const log = (await graphql('query($w:UUID!){ accessLog(workerId:$w){ at } }', { w: OTHER_ID }, token)).accessLog;
  assert.equal(await page.locator('.app-access tbody tr').count(), log.length, 'every entry the API has');
  await look(page, 'hr-access');
});
