// Journey: sync against a (simulated) Enchant that answers 429: the status bar says until when
// it waits, then the sync finishes; Refresh fetches a ticket changed on the helpdesk at once;
// the Accounts screen charts the requests, 429s marked.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchApp, printScreenshotDir } from './lib/harness.mjs';
import { simGet, startSim } from './lib/sim.mjs';
import { addAccountViaForm, search, sel, waitForRows, waitForSyncIdle } from './lib/ticketdeck.mjs';

const TOKEN = 'e2e-sync-token-5120';
let app;
let s;
let sim;

before(async () => {
  sim = await startSim({ token: TOKEN, tickets: 16, seed: 12, control: true });
  app = await launchApp('sync');
  s = app.session;
});

after(async () => {
  await app?.close();
  sim?.child.kill();
  printScreenshotDir();
});

/** POSTs to one of the simulator's control endpoints (beside `/_sim/unavailable`). */
async function control(name, body) {
  const url = sim.control.replace(/\/_sim\/[a-z-]+$/, `/_sim/${name}`);
  const res = await fetch(url, { method: 'POST', body });
  if (!res.ok) throw new Error(`${name} answered ${res.status}`);
  return res.json();
}

/** The status-bar line of the simulated account: `{activity, text}`. */
function accountLine() {
  return s.executeScript(
    `const line = [...document.querySelectorAll('[data-testid="sync-status"] .acct')]
       .find(l => l.textContent.includes('Acme Sync'));
     return line ? { activity: line.dataset.activity, text: line.textContent.replace(/\\s+/g, ' ').trim() } : null;`,
  );
}

test('a 429 during the first sync shows until when it waits, then the sync completes', async () => {
  const item = await addAccountViaForm(s, { name: 'Acme Sync', url: sim.url, token: TOKEN });
  // The first sync starts now; the helpdesk answers its next request 429, asking for 8 s.
  await control('rate-limit', '1 8');
  const waiting = await s.waitFor(
    async () => {
      const l = await accountLine();
      return l?.activity === 'waiting' ? l : null;
    },
    30_000,
    'the waiting state in the status bar',
    100,
  );
  assert.match(waiting.text, /waiting for the rate limit until \d{1,2}:\d{2}:\d{2}/, waiting.text);
  await s.screenshot('sync-01-waiting-for-the-rate-limit');

  await s.waitFor(async () => /\b16\b/.test(await s.textContent(item)), 60_000, 'all 16 tickets');
  await waitForSyncIdle(s, 60_000);
  const done = await accountLine();
  assert.notEqual(done.activity, 'waiting');
  assert.notEqual(done.activity, 'failed', done.text);
});

test('Refresh fetches a ticket the helpdesk changed, at once', async () => {
  const { changed } = await control('change-tickets', '1');
  const ticket = await simGet(sim, `tickets/${changed[0]}`);
  assert.match(ticket.subject, /\(edited\)$/);
  const original = ticket.subject.replace(/ \(edited\)$/, '');
  await s.click(await s.find('[data-view="all"]'));
  await search(s, original);
  await waitForRows(s, 10_000);
  const row = await s.waitFor(
    async () => {
      for (const r of await s.findAll(sel('ticket-row'))) if ((await s.attr(r, 'data-ticket-id')) === ticket.id) return r;
      return null;
    },
    10_000,
    'the ticket, still with its old subject',
  );
  await s.click(row);
  await s.waitFor(
    async () => (await s.textContent(await s.find(sel('ticket-subject')))) === original,
    10_000,
    'the cached subject',
  );
  await s.click(await s.find(sel('refresh-ticket')));
  await s.waitFor(
    async () => (await s.textContent(await s.find(sel('ticket-subject')))) === ticket.subject,
    10_000,
    'the helpdesk’s new subject after Refresh',
  );
  await s.screenshot('sync-02-refreshed');
});

test('the Accounts screen charts the requests over time, 429 marked', async () => {
  await s.click(await s.find(sel('accounts-nav')));
  const chart = await s.waitFor(
    async () => {
      for (const c of await s.findAll(sel('requests-chart'))) {
        const bars = await s.executeScript(
          `const c = arguments[0];
           return { bars: c.querySelectorAll('g.bar rect:not(.hit):not(.r429)').length, r429: c.querySelectorAll('rect.r429').length,
                    desc: c.querySelector('desc')?.textContent ?? '' };`,
          [{ 'element-6066-11e4-a52e-4f735466cecf': c }],
        );
        if (bars.bars > 0 && bars.r429 > 0) return bars;
      }
      return null;
    },
    20_000,
    'a chart with request bars and the 429',
  );
  assert.ok(chart.desc.length > 0, 'the chart describes itself for screen readers');
  await s.screenshot('sync-03-requests-chart');
});
