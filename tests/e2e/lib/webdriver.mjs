// A tiny W3C WebDriver client on Node's global fetch: just what the end-to-end tests use.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** Where screenshots go; printed at the end of each test file. */
export const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

export class WebDriverError extends Error {
  constructor(status, error, message) {
    super(`${error}: ${message}`);
    this.status = status;
    this.error = error;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Session {
  /** @param {string} base e.g. http://127.0.0.1:4444 @param {string} id */
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  /** Creates a session with W3C `capabilities` (the `alwaysMatch` object). */
  static async create(base, alwaysMatch) {
    const value = await request(base, 'POST', '/session', { capabilities: { alwaysMatch } });
    return new Session(base, value.sessionId);
  }

  cmd(method, route, body) {
    return request(this.base, method, `/session/${this.id}${route}`, body);
  }

  async delete() {
    await this.cmd('DELETE', '');
  }

  /** The first element matching `css`; throws `no such element` when there is none. */
  async find(css, from) {
    const route = from ? `/element/${from}/element` : '/element';
    const v = await this.cmd('POST', route, { using: 'css selector', value: css });
    return v[ELEMENT];
  }

  /** All elements matching `css` (possibly none). */
  async findAll(css, from) {
    const route = from ? `/element/${from}/elements` : '/elements';
    const v = await this.cmd('POST', route, { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** The first match, or `null`. */
  async maybeFind(css, from) {
    const all = await this.findAll(css, from);
    return all[0] ?? null;
  }

  click(el) {
    return this.cmd('POST', `/element/${el}/click`, {});
  }

  /** The element's rendered text (WebDriver's own notion: WebKit drops ellipsized text). */
  text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }

  /** The element's `textContent`, whitespace collapsed: reliable for ellipsized text. */
  async textContent(el) {
    const t = await this.executeScript('return arguments[0].textContent', [{ [ELEMENT]: el }]);
    return String(t ?? '').replace(/\s+/g, ' ').trim();
  }

  attr(el, name) {
    return this.cmd('GET', `/element/${el}/attribute/${encodeURIComponent(name)}`);
  }

  clear(el) {
    return this.cmd('POST', `/element/${el}/clear`, {});
  }

  type(el, text) {
    return this.cmd('POST', `/element/${el}/value`, { text });
  }

  /** Runs `script` (a function body; `arguments` holds `args`) in the page and returns its value. */
  executeScript(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  title() {
    return this.cmd('GET', '/title');
  }

  /** Saves a PNG of the window as `<SCREENSHOT_DIR>/<name>.png` and returns its path. */
  async screenshot(name) {
    const b64 = await this.cmd('GET', '/screenshot');
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await writeFile(file, Buffer.from(b64, 'base64'));
    return file;
  }

  /**
   * Polls `predicate` (async; a truthy result ends the wait and is returned) every `intervalMs`
   * until `timeoutMs`; errors inside count as "not yet". Throws with `what` on timeout.
   */
  async waitFor(predicate, timeoutMs = 10_000, what = 'condition', intervalMs = 200) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        const v = await predicate();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
      }
      await sleep(intervalMs);
    }
  }
}

async function request(base, method, route, body) {
  const res = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError(res.status, 'invalid response', text.slice(0, 300));
  }
  const value = json.value;
  if (!res.ok || (value && typeof value === 'object' && 'error' in value && value.error)) {
    throw new WebDriverError(res.status, value?.error ?? 'http error', value?.message ?? text.slice(0, 300));
  }
  return value;
}

/** Waits until `GET <base>/status` answers. */
export async function waitForDriver(base, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${base}/status`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`WebDriver at ${base} did not start within ${timeoutMs} ms`);
    await sleep(150);
  }
}
