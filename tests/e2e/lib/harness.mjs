// Starts the real app through tauri-driver (which spawns WebKitWebDriver) with an empty data
// directory, and tears everything down again, whatever happened.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCREENSHOT_DIR, Session, waitForDriver } from './webdriver.mjs';

export const APP =
  process.env.TICKETDECK_APP ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'target', 'debug', 'ticketdeck-app');

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Launches the app in a fresh data directory. Returns `{ session, dataDir, logs, close }`;
 * `close()` deletes the session, kills tauri-driver and its children, and removes the directory.
 */
export async function launchApp(label = 'app') {
  if (!process.env.DISPLAY) throw new Error('DISPLAY is not set: run the tests under Xvfb (e.g. DISPLAY=:99).');
  if (!existsSync(APP)) throw new Error(`The app binary ${APP} does not exist: build it first (cargo build -p ticketdeck-app) or set TICKETDECK_APP.`);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), `ticketdeck-e2e-${label}-`));
  const port = process.env.TAURI_DRIVER_PORT ? Number(process.env.TAURI_DRIVER_PORT) : await freePort();
  const nativePort = await freePort();
  const logs = [];
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, TICKETDECK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so teardown reaches WebKitWebDriver and the app too
  });
  const keep = (chunk) => {
    logs.push(chunk.toString());
    if (logs.length > 400) logs.splice(0, logs.length - 400);
  };
  driver.stdout.on('data', keep);
  driver.stderr.on('data', keep);
  let exited = false;
  driver.on('exit', () => (exited = true));
  driver.on('error', (e) => keep(`tauri-driver failed to start: ${e.message}\n`));

  const base = `http://127.0.0.1:${port}`;
  let session = null;

  async function close() {
    try {
      if (session) await withTimeout(session.delete(), 15_000);
    } catch {
      // the driver may already be gone; killing it below is what counts
    }
    killGroup(driver, 'SIGTERM');
    await waitExit(driver, () => exited, 5_000);
    if (!exited) killGroup(driver, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }

  try {
    await waitForDriver(base, 20_000);
    session = await Session.create(base, { 'tauri:options': { application: APP } });
  } catch (e) {
    await close();
    throw new Error(`${e.message}\n--- tauri-driver output ---\n${logs.join('')}`);
  }
  return { session, dataDir, logs, close };
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function waitExit(_child, exited, ms) {
  const deadline = Date.now() + ms;
  while (!exited() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}

export function printScreenshotDir() {
  console.log(`Screenshots: ${SCREENSHOT_DIR}`);
}
