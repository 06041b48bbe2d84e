// A stand-in for the Rust side, for looking at the UI in a plain browser during development
// (`npm run dev`, open /dev/preview.html). Scenarios: ?scenario=empty|offline|waiting|syncing.
// Never part of the build: vite builds index.html only.

import type {
  AccountView,
  CommentView,
  Facets,
  IdName,
  NewAccount,
  SyncProgress,
  TicketDetail,
  TicketQuery,
  TicketRow,
  UnifiedError,
} from '../src/lib/bindings.gen';

type Callback = (data: unknown) => void;

const scenario = new URLSearchParams(location.search).get('scenario') ?? 'default';

let seed = 42;
function rand(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function pick<T>(xs: T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

const now = Date.now();
const agents: IdName[] = [
  { id: 'u1', name: 'Mary Jensen' },
  { id: 'u2', name: 'Sam Okafor' },
  { id: 'u3', name: 'Priya Raman' },
];
const tags: IdName[] = ['Refund', 'VIP', 'Bug', 'Shipping', 'Billing', 'Feature request'].map((n, i) => ({
  id: `t${i}`,
  name: n,
}));
const inboxes: IdName[] = ['Support', 'Billing', 'Sales'].map((n, i) => ({ id: `c${i}`, name: n }));
const people = ['Michael Smith', 'Ruby Chen', 'Ahmed Khan', 'Lena Müller', 'Jorge Alvarez', 'Aiko Tanaka', 'Olivia Brown'];
const subjects = [
  'help, it didn’t work!',
  'Where’s my package?',
  'Refund for order #{n}',
  'Cannot log in after password reset',
  'Invoice shows the wrong VAT number',
  'Feature idea: export to CSV',
  'Damaged item on arrival',
  'Hostile test message with a script',
  'Upgrade to the team plan',
  'Two-factor code never arrives',
];

let accounts: AccountView[] =
  scenario === 'empty'
    ? []
    : [
        demoAccount(1),
        {
          id: 2,
          name: 'Acme Shop',
          provider: 'trengo',
          site: 'acme',
          base_url: 'https://app.trengo.com/api/v2',
          token_source: { kind: 'keychain' },
          is_demo: false,
          created_at: new Date(now - 86_400_000 * 30).toISOString(),
          last_synced_at: new Date(now - 600_000).toISOString(),
          ticket_count: 0,
        },
      ];

function demoAccount(id: number): AccountView {
  return {
    id,
    name: 'Demo helpdesk',
    provider: 'enchant',
    site: 'demo',
    base_url: 'http://127.0.0.1:38111/api/v1',
    token_source: { kind: 'demo' },
    is_demo: true,
    created_at: new Date(now - 3_600_000).toISOString(),
    last_synced_at: new Date(now - 120_000).toISOString(),
    ticket_count: 0,
  };
}

function makeTickets(accountId: number, count: number): TicketRow[] {
  const rows: TicketRow[] = [];
  for (let i = 0; i < count; i++) {
    const n = 2000 + i;
    const contact = pick(people);
    const status = pick(['open', 'open', 'pending', 'closed']);
    const ts = now - Math.floor(rand() * 86_400_000 * 40) - i * 1000;
    rows.push({
      account_id: accountId,
      id: `${accountId}-${n}`,
      number: String(n),
      subject: pick(subjects).replace('{n}', String(40000 + i)),
      status,
      assignee: rand() < 0.3 ? null : pick(agents),
      contact: { id: contact, name: contact },
      collection: pick(inboxes),
      tags: rand() < 0.4 ? [] : [pick(tags), ...(rand() < 0.3 ? [pick(tags)] : [])].filter((t, j, a) => a.indexOf(t) === j),
      channel: pick(['email', 'chat', 'email']),
      preview: 'I was trying to do something and it did not work as I expected…',
      created_at: new Date(ts - 86_400_000).toISOString(),
      updated_at: new Date(ts).toISOString(),
    });
  }
  return rows;
}

let allTickets: TicketRow[] = accounts.flatMap((a) => makeTickets(a.id, a.id === 1 ? 1800 : 600));
function recount() {
  accounts = accounts.map((a) => ({ ...a, ticket_count: allTickets.filter((t) => t.account_id === a.id).length }));
}
recount();

function sortTickets() {
  allTickets.sort((a, b) => (b.updated_at ?? '').localeCompare(a.updated_at ?? ''));
}
sortTickets();

function comments(t: TicketRow): CommentView[] {
  const at = (mins: number) => new Date(Date.parse(t.created_at ?? '') + mins * 60_000).toISOString();
  const list: CommentView[] = [
    {
      id: `${t.id}-1`,
      author_name: t.contact?.name ?? 'Customer',
      author_type: 'contact',
      is_internal: false,
      html_body: null,
      body: `Hi,\n\nI was trying to do something and it didn't work.\nOrder: ${t.number}\n\nThanks,\n${t.contact?.name}`,
      created_at: at(0),
      attachments: [
        { id: 'a1', file_name: 'screenshot-error.png', size: 245_811, content_type: 'image/png' },
        { id: 'a2', file_name: 'invoice-2026-03.pdf', size: 88_002, content_type: 'application/pdf' },
      ],
    },
    {
      id: `${t.id}-2`,
      author_name: 'Mary Jensen',
      author_type: 'user',
      is_internal: true,
      html_body: '<p>Asked billing to check the charge. <strong>Do not refund yet.</strong></p>',
      body: null,
      created_at: at(17),
      attachments: [],
    },
    {
      id: `${t.id}-3`,
      author_name: 'Mary Jensen',
      author_type: 'user',
      is_internal: false,
      html_body:
        '<p>Of course I can help! Here is what I found:</p><table><tr><th>Item</th><th>Status</th></tr><tr><td>Order ' +
        t.number +
        '</td><td>Shipped</td></tr></table><p>Track it <a href="https://example.com/track">here</a>.</p><blockquote>I was trying to do something…</blockquote>',
      body: null,
      created_at: at(28),
      attachments: [],
    },
  ];
  if (t.subject.startsWith('Hostile')) {
    list.push({
      id: `${t.id}-4`,
      author_name: 'Mallory',
      author_type: 'contact',
      is_internal: false,
      html_body: '<p>Please <a href="https://example.com">click</a> here.</p><p><img src="x"></p>',
      body: null,
      created_at: at(40),
      attachments: [],
    });
  }
  return list;
}

const facets = (accountId: number | null): Facets => ({
  statuses: ['open', 'pending', 'closed'].map((s) => ({ id: s, name: s[0].toUpperCase() + s.slice(1) })),
  assignees: accountId === 2 ? agents.slice(0, 2) : agents,
  tags,
  collections: inboxes,
});

function fail(code: UnifiedError['code'], message: string): never {
  throw { code, message } satisfies UnifiedError;
}

const callbacks = new Map<number, Callback>();
const listeners = new Map<string, number[]>();
let nextId = 1;

function emit(event: string, payload: unknown) {
  for (const id of listeners.get(event) ?? []) callbacks.get(id)?.({ event, id, payload });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
  list_accounts: () => accounts,
  sync_state: (): SyncProgress[] => [],
  ticket_facets: (a) => facets((a.accountId as number | null) ?? null),
  list_tickets: (a) => {
    const q = a.query as TicketQuery;
    const words = (q.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const rows = allTickets.filter(
      (t) =>
        (q.account_id === null || t.account_id === q.account_id) &&
        (!q.status || t.status === q.status) &&
        (!q.assignee_id || (q.assignee_id === 'none' ? !t.assignee : t.assignee?.id === q.assignee_id)) &&
        (!q.tag_id || t.tags.some((x) => x.id === q.tag_id)) &&
        (!q.collection_id || t.collection?.id === q.collection_id) &&
        words.every((w) => t.subject.toLowerCase().includes(w)),
    );
    return { rows: rows.slice(q.offset, q.offset + q.limit), total: rows.length, offset: q.offset };
  },
  get_ticket: (a): TicketDetail => {
    const t = allTickets.find((x) => x.account_id === a.accountId && x.id === a.ticketId);
    if (!t) fail('not_found', 'no such ticket');
    const cached = !t.id.endsWith('7');
    return {
      ticket: t,
      contact: {
        id: t.contact?.id ?? 'c',
        name: t.contact?.name ?? 'Customer',
        emails: [`${(t.contact?.name ?? 'x').split(' ')[0].toLowerCase()}@example.com`],
        phones: [],
        handles: [],
        details: null,
      },
      comments: cached ? comments(t) : [],
      thread_cached: cached,
    };
  },
  open_demo: async () => {
    await delay(600);
    const a = demoAccount(1);
    accounts = [a];
    allTickets = makeTickets(1, 1800);
    sortTickets();
    recount();
    emit('cache-changed', { account_id: 1, entity: 'tickets', ids: [], source: 'sync' });
    return a;
  },
  add_account: async (a) => {
    const input = a.input as NewAccount;
    await delay(900);
    if (input.token === 'good') {
      const acc: AccountView = { ...demoAccount(accounts.length + 10), name: input.name, is_demo: false, token_source: { kind: 'keychain' } };
      accounts = [...accounts, acc];
      return acc;
    }
    if (input.base_url?.includes('127.0.0.1')) fail('offline', 'connection refused');
    fail('auth_failed', '401 Unauthorized');
  },
  remove_account: (a) => {
    accounts = accounts.filter((x) => x.id !== a.accountId);
    allTickets = allTickets.filter((t) => t.account_id !== a.accountId);
    return null;
  },
  test_account: async (a) => {
    await delay(500);
    if (a.accountId === 2) fail('auth_failed', '401');
    return null;
  },
  sync_now: () => {
    void runSync(1);
    return null;
  },
};

async function runSync(accountId: number) {
  const name = accounts.find((a) => a.id === accountId)?.name ?? 'Demo helpdesk';
  const base = { account_id: accountId, account_name: name, message: null, error_code: null };
  emit('sync-progress', { ...base, resource: 'all', phase: 'started', done: 0, total: null });
  for (let done = 0; done <= 2000; done += 400) {
    emit('sync-progress', { ...base, resource: 'tickets', phase: 'running', done, total: 2000 });
    await delay(400);
  }
  emit('sync-progress', { ...base, resource: 'comments', phase: 'running', done: 412, total: 2000 });
  if (scenario === 'syncing') return;
  emit('sync-progress', {
    ...base,
    resource: 'comments',
    phase: 'waiting',
    done: 412,
    total: 2000,
    message: new Date(Date.now() + 95_000).toISOString(),
  });
  if (scenario === 'waiting') return;
  await delay(1500);
  emit('sync-progress', { ...base, resource: 'all', phase: 'done', done: 2000, total: 2000 });
}

Object.assign(window, {
  __TAURI_INTERNALS__: {
    invoke: async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'plugin:event|listen') {
        const ev = args.event as string;
        listeners.set(ev, [...(listeners.get(ev) ?? []), args.handler as number]);
        return args.handler;
      }
      if (cmd === 'plugin:event|unlisten') return null;
      const h = handlers[cmd];
      if (!h) fail('internal', `mock has no ${cmd}`);
      await delay(20);
      return h(args ?? {});
    },
    transformCallback: (cb: Callback) => {
      const id = nextId++;
      callbacks.set(id, cb);
      return id;
    },
    unregisterCallback: (id: number) => callbacks.delete(id),
  },
  __TAURI_EVENT_PLUGIN_INTERNALS__: { unregisterListener: () => undefined },
});

if (scenario === 'offline') {
  setTimeout(() => {
    emit('connectivity', { account_id: 1, online: false, message: 'connection refused' });
    emit('connectivity', { account_id: 2, online: false, message: 'dns error' });
  }, 500);
}
if (scenario === 'waiting' || scenario === 'syncing') setTimeout(() => void runSync(1), 300);
if (scenario === 'failed') {
  setTimeout(
    () =>
      emit('sync-progress', {
        account_id: 2,
        account_name: 'Acme Shop',
        resource: 'tickets',
        phase: 'failed',
        done: 0,
        total: null,
        message: '401 Unauthorized',
        error_code: 'auth_failed',
      }),
    300,
  );
}
