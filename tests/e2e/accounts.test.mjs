// Journey: the Accounts screen refuses an account whose helpdesk can't be reached, says why in
// one sentence, and keeps nothing.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, launchApp, printScreenshotDir } from './lib/harness.mjs';
import { sel } from './lib/ticketdeck.mjs';

let app;
let s;

before(async () => {
  app = await launchApp('accounts');
  s = app.session;
});

after(async () => {
  await app?.close();
  printScreenshotDir();
});

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
