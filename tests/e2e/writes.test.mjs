// Journey: a support lead acts on tickets of a (simulated) Enchant account in the real window:
// closes and reassigns, tags and untags, writes an internal note with an attachment, creates and
// edits a contact, and writes while the helpdesk is down; each change shows at once, reaches the
// helpdesk exactly once, and the helpdesk's own API shows it.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchApp, printScreenshotDir } from './lib/harness.mjs';
import { setUnavailable, simGet, startSim } from './lib/sim.mjs';
import { addAccountViaForm, fill as fillField, search, sel, waitForRows, waitForSyncIdle } from './lib/ticketdeck.mjs';

const TOKEN = 'e2e-writes-token-3317';
let app;
let s;
let sim;
let files;
let ticket; // the helpdesk's ticket the journey works on
let agent; // an agent to assign it to

before(async () => {
  sim = await startSim({ token: TOKEN, tickets: 12, seed: 9, control: true });
  files = await mkdtemp(path.join(os.tmpdir(), 'ticketdeck-e2e-files-'));
  app = await launchApp('writes');
  s = app.session;
  const tickets = await simGet(sim, 'tickets?per_page=20&sort=created_at');
  ticket = tickets.find((t) => !t.spam && !t.trash && t.state !== 'closed');
  const users = await simGet(sim, 'users');
  agent = users.find((u) => u.id !== ticket.user_id);
});

after(async () => {
  await app?.close();
  sim?.child.kill();
  if (files) await rm(files, { recursive: true, force: true });
  printScreenshotDir();
});

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const ref = (el) => ({ [ELEMENT]: el });

/** Picks an option of a <select> the way a user's choice does (value, then change). */
async function choose(testid, value) {
  const el = await s.waitFor(() => s.maybeFind(sel(testid)), 10_000, testid);
  await s.executeScript(
    `const el = arguments[0]; el.value = arguments[1];
     el.dispatchEvent(new Event('input', { bubbles: true }));
     el.dispatchEvent(new Event('change', { bubbles: true }));`,
    [ref(el), value],
  );
}

const fill = (testid, text, from) => fillField(s, testid, text, from);

/** The helpdesk's ticket, as its API shows it now. */
const helpdeskTicket = () => simGet(sim, `tickets/${ticket.id}`);
const helpdeskMessages = async () => (await simGet(sim, `tickets/${ticket.id}?embed=messages`)).messages;

async function openTicket() {
  // "All tickets" shows the list again, keeping the account filter.
  await s.click(await s.find('[data-view="all"]'));
  await search(s, ticket.subject);
  const row = await s.waitFor(
    async () => {
      for (const r of await s.findAll(sel('ticket-row'))) {
        if ((await s.attr(r, 'data-ticket-id')) === ticket.id) return r;
      }
      return null;
    },
    15_000,
    'the ticket in the list',
  );
  await s.click(row);
  await s.waitFor(() => s.maybeFind(sel('status-select')), 10_000, 'the ticket view');
}

test('the account connects and syncs', async () => {
  const item = await addAccountViaForm(s, { name: 'Acme Writes', url: sim.url, token: TOKEN, tickets: 12 });
  await waitForSyncIdle(s, 60_000);
  // Only this account's tickets and contacts from here on.
  await s.click(item);
  await waitForRows(s, 10_000);
});

test('closing and reassigning a ticket shows at once and reaches the helpdesk', async () => {
  await openTicket();
  await choose('status-select', 'closed');
  await choose('assignee-select', agent.id);
  const t = await s.waitFor(
    async () => {
      const now = await helpdeskTicket();
      return now.state === 'closed' && now.user_id === agent.id ? now : null;
    },
    30_000,
    'the helpdesk to hold the closed, reassigned ticket',
  );
  assert.equal(t.state, 'closed');
  const shown = await s.executeScript(
    `return document.querySelector('[data-testid="status-select"]').value`,
  );
  assert.equal(shown, 'closed');
  await s.screenshot('writes-01-closed-and-assigned');
});

test('tags are added from the existing ones and removed', async () => {
  const before = (await helpdeskTicket()).label_ids;
  const input = await s.find(sel('tag-add-input'));
  await s.click(input);
  // Any suggestion not on the ticket yet.
  const suggestion = await s.waitFor(
    async () => {
      for (const el of await s.findAll(sel('tag-suggestion'))) {
        if (!before.includes(await s.attr(el, 'data-tag-id'))) return el;
      }
      await s.type(input, '\uE015'); // arrow down opens the list
      return null;
    },
    10_000,
    'a tag suggestion',
  );
  const tagId = await s.attr(suggestion, 'data-tag-id');
  await s.click(suggestion);
  await s.waitFor(async () => (await helpdeskTicket()).label_ids.includes(tagId), 30_000, 'the tag on the helpdesk');
  await s.screenshot('writes-02-tag-added');

  const chip = await s.waitFor(() => s.maybeFind(`${sel('tag-chip')}[data-tag-id="${tagId}"]`), 10_000, 'the tag chip');
  await s.click(await s.find(sel('tag-remove'), chip));
  await s.waitFor(async () => !(await helpdeskTicket()).label_ids.includes(tagId), 30_000, 'the tag gone from the helpdesk');
  assert.equal(await s.maybeFind(`${sel('tag-chip')}[data-tag-id="${tagId}"]`), null);
});

test('an internal note with an attachment appears in the thread marked internal', async () => {
  const file = path.join(files, 'refund-receipt.pdf');
  await writeFile(file, '%PDF-1.4\n% a small receipt for the e2e journey\n');
  const text = `Refund checked with billing ${Date.now()}`;
  await s.click(await s.find(sel('composer-mode-note')));
  await fill('composer-body', text);
  await s.type(await s.find(sel('composer-file')), file);
  await s.waitFor(() => s.maybeFind(sel('composer-attachment')), 15_000, 'the staged attachment');
  await s.click(await s.find(sel('composer-send')));

  const note = await s.waitFor(
    async () => (await helpdeskMessages()).find((m) => m.body === text),
    30_000,
    'the note on the helpdesk',
  );
  assert.equal(note.type, 'note');
  assert.equal(note.attachments.length, 1);
  assert.equal(note.attachments[0].name, 'refund-receipt.pdf');
  assert.equal(note.attachments[0].type, 'application/pdf');

  const shown = await s.waitFor(
    async () =>
      s.executeScript(
        `const c = [...document.querySelectorAll('[data-testid="comment"]')].find(c => c.textContent.includes(arguments[0]));
         if (!c || c.dataset.outboxState) return null;
         return { internal: !!c.querySelector('[data-testid="comment-internal"]'),
                  file: [...c.querySelectorAll('[data-testid="attachment"]')].map(a => a.textContent).join(' ') };`,
        [text],
      ),
    30_000,
    'the sent note in the thread',
  );
  assert.ok(shown.internal, 'the note is marked internal');
  assert.match(shown.file, /refund-receipt\.pdf/);
  await s.screenshot('writes-03-internal-note');
});

test('a contact is created, then edited with one more identity', async () => {
  await s.click(await s.find(sel('nav-contacts')));
  await s.click(await s.waitFor(() => s.maybeFind(sel('contact-new')), 10_000, 'the new-contact button'));
  const form = await s.waitFor(() => s.maybeFind(sel('contact-form')), 10_000, 'the contact form');
  const email = `ada.${Date.now()}@example.com`;
  await fill('contact-first-name', 'Ada', form);
  await fill('contact-last-name', 'Lovelace', form);
  await choose('identity-type', 'email');
  await fill('identity-value', email, form);
  await s.click(await s.find(sel('identity-add'), form));
  await s.click(await s.find(sel('contact-save'), form));
  const created = await s.waitFor(
    async () => (await simGet(sim, `customers?contacts.type=email&contacts.value=${encodeURIComponent(email)}`))[0],
    30_000,
    'the contact on the helpdesk',
  );
  assert.equal(created.first_name, 'Ada');

  // Found by search once the helpdesk gave it its id, then edited.
  await fill('contacts-search', 'Lovelace');
  const row = await s.waitFor(() => s.maybeFind(`${sel('contact-row')}[data-contact-id="${created.id}"]`), 30_000, 'the contact row');
  await s.click(row);
  const edit = await s.waitFor(() => s.maybeFind(sel('contact-form')), 10_000, 'the edit form');
  await fill('contact-first-name', 'Augusta Ada', edit);
  await choose('identity-type', 'twitter');
  await fill('identity-value', 'countess_ada', edit);
  await s.click(await s.find(sel('identity-add'), edit));
  await s.click(await s.find(sel('contact-save'), edit));
  const edited = await s.waitFor(
    async () => {
      const c = await simGet(sim, `customers/${created.id}`);
      return c.first_name === 'Augusta Ada' && c.contacts.some((p) => p.type === 'twitter') ? c : null;
    },
    30_000,
    'the edit on the helpdesk',
  );
  assert.deepEqual(edited.contacts.map((p) => p.type).sort(), ['email', 'twitter']);
  await s.screenshot('writes-04-contact');
});

test('a note written while the helpdesk is down waits, then lands once it is back', async () => {
  await openTicket();
  await setUnavailable(sim, true);
  const text = `Written while Enchant was down ${Date.now()}`;
  await s.click(await s.find(sel('composer-mode-note')));
  await fill('composer-body', text);
  await s.click(await s.find(sel('composer-send')));
  // Shown at once, waiting.
  await s.waitFor(
    () =>
      s.executeScript(
        `const c = [...document.querySelectorAll('[data-testid="comment"]')].find(c => c.textContent.includes(arguments[0]));
         return c && c.dataset.outboxState ? c.dataset.outboxState : null;`,
        [text],
      ),
    10_000,
    'the waiting note in the thread',
  );
  await s.waitFor(async () => /\b1\b/.test(await s.textContent(await s.find(sel('outbox-count')))), 15_000, 'the outbox count');
  await s.screenshot('writes-05-waiting-while-down');
  await new Promise((r) => setTimeout(r, 3_000));
  assert.equal((await helpdeskMessages().catch(() => [])).filter((m) => m.body === text).length, 0);

  await setUnavailable(sim, false);
  await s.waitFor(
    async () => (await helpdeskMessages()).filter((m) => m.body === text).length === 1,
    90_000,
    'the note on the helpdesk once it is back',
  );
  await s.waitFor(
    () =>
      s.executeScript(
        `const c = [...document.querySelectorAll('[data-testid="comment"]')].find(c => c.textContent.includes(arguments[0]));
         return c && !c.dataset.outboxState;`,
        [text],
      ),
    30_000,
    'the note no longer waiting',
  );
  // Exactly once, even after the app had every chance to send it again.
  await new Promise((r) => setTimeout(r, 5_000));
  assert.equal((await helpdeskMessages()).filter((m) => m.body === text).length, 1);
  await s.screenshot('writes-06-landed-once');
});
