// Journey: the Accounts screen refuses an account whose helpdesk can't be reached or refuses
// the token, says why in one sentence and keeps nothing; with the right token against a real
// (simulated) Enchant, the account is added, its token goes to the keychain, and it syncs.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, launchApp, printScreenshotDir } from './lib/harness.mjs';
import { startSim } from './lib/sim.mjs';
import { sel } from './lib/ticketdeck.mjs';

let app;
let s;
let sim;
let simUrl;
const SIM_TOKEN = 'e2e-good-token-4821';

before(async () => {
  ({ child: sim, url: simUrl } = await startSim({ token: SIM_TOKEN }));
  app = await launchApp('accounts');
  s = app.session;
});

after(async () => {
  await app?.close();
  sim?.kill();
  printScreenshotDir();
});

async function submitAndWaitForError() {
  await s.click(await s.find(sel('add-account-submit')));
  return s.waitFor(
    async () => {
      const e = await s.maybeFind(`${sel('add-account-form')} ${sel('form-error')}`);
      return e && (await s.attr(e, 'data-code')) !== 'validation' ? e : null;
    },
    30_000,
    'the error from the helpdesk check',
  );
}

async function fill(testid, text) {
  const el = await s.find(sel(testid));
  await s.clear(el);
  if (text) await s.type(el, text);
}

async function accountNames() {
  const names = [];
  for (const el of await s.findAll(sel('account-item'))) names.push(await s.textContent(el));
  return names.join('\n');
}

test('the accounts screen opens from the sidebar', async () => {
  const nav = await s.waitFor(() => s.maybeFind(sel('accounts-nav')), 30_000, 'the sidebar');
  await s.click(nav);
  await s.waitFor(() => s.maybeFind(sel('add-account-form')), 5_000, 'the add-account form');
});

test('missing fields are pointed out before anything is sent', async () => {
  await fill('account-name-input', '');
  await fill('account-token-input', '');
  await s.click(await s.find(sel('add-account-submit')));
  const err = await s.waitFor(
    () => s.maybeFind(`${sel('add-account-form')} ${sel('form-error')}`),
    5_000,
    'the form error',
  );
  assert.equal(await s.attr(err, 'data-code'), 'validation');
});

test('a helpdesk that does not answer gives an offline error and adds nothing', async () => {
  const closedPort = await freePort(); // nothing listens there
  await fill('account-name-input', 'Unreachable Co');
  await fill('account-site-input', 'unreachable');
  await fill('account-baseurl-input', `http://127.0.0.1:${closedPort}/api/v1`);
  await fill('account-token-input', 'wrong-token');
  await s.click(await s.find(sel('add-account-submit')));

  const err = await s.waitFor(
    async () => {
      const e = await s.maybeFind(`${sel('add-account-form')} ${sel('form-error')}`);
      return e && (await s.attr(e, 'data-code')) !== 'validation' ? e : null;
    },
    30_000,
    'the error from the helpdesk check',
  );
  assert.equal(await s.attr(err, 'data-code'), 'offline');
  const sentence = await s.textContent(err);
  assert.match(sentence, /reach/i, 'the sentence says what happened');
  await s.screenshot('accounts-01-offline-error');

  assert.ok(!(await accountNames()).includes('Unreachable Co'), 'no account was added');
});

test('a wrong token gives auth_failed and adds nothing', async () => {
  await fill('account-name-input', 'Acme Support');
  await fill('account-site-input', 'acme');
  await fill('account-baseurl-input', simUrl);
  await fill('account-token-input', 'not-the-token');
  const err = await submitAndWaitForError();
  assert.equal(await s.attr(err, 'data-code'), 'auth_failed');
  assert.ok(!(await s.textContent(err)).includes('not-the-token'), 'the token is not echoed');
  await s.screenshot('accounts-02-wrong-token');
  assert.ok(!(await accountNames()).includes('Acme Support'), 'no account was added');
});

test('the right token adds the account, which then syncs its tickets', async () => {
  await fill('account-token-input', SIM_TOKEN);
  await s.click(await s.find(sel('add-account-submit')));
  const outcome = await s.waitFor(
    async () => {
      if ((await accountNames()).includes('Acme Support')) return 'added';
      const e = await s.maybeFind(`${sel('add-account-form')} ${sel('form-error')}`);
      return e && (await s.attr(e, 'data-code')) !== 'auth_failed' ? `${await s.attr(e, 'data-code')}: ${await s.textContent(e)}` : null;
    },
    30_000,
    'the new account in the sidebar',
  );
  if (outcome !== 'added') await s.screenshot('accounts-03-add-failed');
  assert.equal(outcome, 'added');
  try {
    await s.waitFor(async () => /\b24\b/.test(await accountNames()), 60_000, 'its 24 tickets to sync');
  } finally {
    await s.screenshot('accounts-03-added');
  }
});
