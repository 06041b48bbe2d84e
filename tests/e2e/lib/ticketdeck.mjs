// Ticketdeck-specific steps shared by the journeys, written against the stable data-testid hooks.

export const sel = (id) => `[data-testid="${id}"]`;
export const ROW_HEIGHT = 54;

/** The number in the list header ("2,400 tickets"), or null while loading. */
export async function ticketTotal(s) {
  const t = await s.textContent(await s.find(sel('ticket-count')));
  const m = t.replace(/,/g, '').match(/(\d+)/);
  return m ? Number(m[1]) : null;
}

export async function visibleRows(s) {
  return s.findAll(sel('ticket-row'));
}

/** Waits until at least one ticket row shows. */
export async function waitForRows(s, timeoutMs) {
  await s.waitFor(async () => (await visibleRows(s)).length > 0, timeoutMs, 'ticket rows');
}

/** Waits until no account reports an ongoing sync in the status bar (gives up quietly). */
export async function waitForSyncIdle(s, timeoutMs) {
  try {
    await s.waitFor(
      async () => (await s.findAll(`${sel('sync-status')} [data-activity="syncing"]`)).length === 0,
      timeoutMs,
      'sync to finish',
      500,
    );
    return true;
  } catch {
    return false;
  }
}

/** Types into the search box (replacing what was there) and waits for the list to settle. */
export async function search(s, text) {
  const box = await s.find(sel('search-input'));
  // Select all and delete with keys: WebDriver's "clear" fires no input event in WebKit.
  await s.type(box, '\uE009a\uE000\uE003');
  if (text) await s.type(box, text);
  await s.type(box, '\uE007'); // Enter applies at once
  await new Promise((r) => setTimeout(r, 400));
}

/** The row at list index `i`, scrolling the virtualized list to render it. */
export async function rowAt(s, i) {
  const css = `${sel('ticket-row')}[data-index="${i}"]`;
  let el = await s.maybeFind(css);
  if (el) {
    // Rows rendered as overscan sit outside the scrolled area; WebKit won't click those.
    await s.executeScript('arguments[0].scrollIntoView({ block: "nearest" })', [{ 'element-6066-11e4-a52e-4f735466cecf': el }]);
    await new Promise((r) => setTimeout(r, 100));
    return (await s.maybeFind(css)) ?? el;
  }
  await s.executeScript(
    `const l = document.querySelector('[data-testid="ticket-list"]'); l.scrollTop = Math.max(0, arguments[0] * arguments[1] - 80);`,
    [i, ROW_HEIGHT],
  );
  return s.waitFor(() => s.maybeFind(css), 5_000, `row ${i}`);
}

/**
 * Clicks the row and waits until the ticket view shows it with its thread loaded (comments, or the
 * "not synced yet" state). Returns { subject, comments: [{internal}], cached }.
 */
export async function openRow(s, row) {
  const id = await s.attr(row, 'data-ticket-id');
  const subject = await s.textContent(await s.find('.subject', row));
  await s.click(row);
  return s.waitFor(
    async () => {
      const view = await s.maybeFind(sel('ticket-view'));
      if (!view) return null;
      const shown = await s.textContent(await s.find(sel('ticket-subject')));
      if (shown !== subject) return null;
      const state = await s.executeScript(
        `const v = document.querySelector('[data-testid="ticket-view"]');
         const comments = [...v.querySelectorAll('[data-testid="comment"]')].map(c => ({ internal: c.dataset.internal }));
         const empty = v.querySelector('[data-testid="empty-state"]');
         return { comments, emptyTitle: empty ? empty.querySelector('h2').textContent : null };`,
      );
      if (state.comments.length) return { id, subject, comments: state.comments, cached: true };
      if (state.emptyTitle === 'Thread not synced yet') return { id, subject, comments: [], cached: false };
      if (state.emptyTitle === 'No messages in this thread') return { id, subject, comments: [], cached: true };
      return null;
    },
    10_000,
    `ticket view for "${subject}"`,
  );
}

/** Facts about dangerous markup anywhere in the open ticket view and the document. */
export function inertnessReport(s) {
  return s.executeScript(`
    const view = document.querySelector('[data-testid="ticket-view"]');
    const handlers = '[onerror],[onclick],[onload],[onmouseover],[onfocus],[onanimationstart]';
    const jsUrl = (v) => /^\\s*javascript:/i.test(v || '');
    const urlAttrs = [...document.querySelectorAll('[href],[src],[action],[formaction],[xlink\\\\:href]')]
      .filter(e => ['href','src','action','formaction','xlink:href'].some(a => jsUrl(e.getAttribute(a))));
    return {
      inViewHandlers: view ? view.querySelectorAll(handlers + ',script:not([src])').length : -1,
      docHandlers: document.querySelectorAll(handlers).length,
      inlineScripts: document.querySelectorAll('script:not([src])').length,
      iframes: view ? view.querySelectorAll('iframe,object,embed').length : -1,
      javascriptUrls: urlAttrs.length,
      title: document.title,
      pwned: typeof window.pwned !== 'undefined' || typeof window.__pwned !== 'undefined',
    };
  `);
}

/** True when the open ticket shows the hostile message (an image, a "click" link, or the raw text). */
export function showsHostileContent(s) {
  return s.executeScript(`
    const bodies = [...document.querySelectorAll('[data-testid="ticket-view"] [data-testid="comment-body"]')];
    return bodies.some(b =>
      b.querySelector('img') ||
      [...b.querySelectorAll('a')].some(a => /click/i.test(a.textContent)) ||
      /onerror|<script/i.test(b.textContent));
  `);
}

/** Replaces the text of the input `testid` (within `from`, if given) with `text`. */
export async function fill(s, testid, text, from) {
  const el = await s.find(sel(testid), from);
  // Select all and delete with keys: WebDriver's "clear" fires no input event in WebKit.
  await s.type(el, '\uE009a\uE000\uE003');
  if (text) await s.type(el, text);
}

/**
 * Adds an Enchant account through the Accounts screen's form and waits until it shows in the
 * sidebar with `tickets` tickets (any count when null). Returns its sidebar item.
 */
export async function addAccountViaForm(s, { name, url, token, tickets = null }) {
  await s.click(await s.waitFor(() => s.maybeFind(sel('accounts-nav')), 30_000, 'the sidebar'));
  await fill(s, 'account-name-input', name);
  await fill(s, 'account-site-input', 'acme');
  await fill(s, 'account-baseurl-input', url);
  await fill(s, 'account-token-input', token);
  await s.click(await s.find(sel('add-account-submit')));
  return s.waitFor(
    async () => {
      for (const a of await s.findAll(sel('account-item'))) {
        const text = await s.textContent(a);
        if (text.includes(name) && (tickets === null || new RegExp(`\\b${tickets}\\b`).test(text))) return a;
      }
      return null;
    },
    90_000,
    tickets === null ? `the account ${name}` : `the account ${name} with its ${tickets} tickets`,
  );
}
