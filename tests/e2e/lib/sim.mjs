// The simulated Enchant as a separate process (the `deck-sim` binary built beside the app), and
// what tests ask of it: its documented API (to check what reached the helpdesk) and, with
// `--control`, taking it down and bringing it back.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { APP, freePort } from './harness.mjs';

/** Starts deck-sim on a free port. Returns `{ child, url, token, control }`. */
export async function startSim({ token, tickets = 24, seed = 5, control = false }) {
  const bin = process.env.TICKETDECK_SIM ?? path.join(path.dirname(APP), 'deck-sim');
  const port = await freePort();
  const args = ['--port', String(port), '--seed', String(seed), '--tickets', String(tickets), '--token', token, '--window-secs', '1', '--burst', '20'];
  if (control) args.push('--control');
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const found = await new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      out += d.toString();
      const url = out.match(/base_url=(\S+)/);
      const ctl = out.match(/control=(\S+)/);
      if (url && (!control || ctl)) resolve({ url: url[1], control: ctl?.[1] });
    });
    setTimeout(() => reject(new Error(`deck-sim did not start: ${out}`)), 15_000);
  });
  return { child, token, ...found };
}

/** GET on the simulated helpdesk's API, as any client of it would. */
export async function simGet(sim, route) {
  const res = await fetch(`${sim.url}/${route.replace(/^\//, '')}`, { headers: { authorization: `Bearer ${sim.token}` } });
  if (!res.ok) throw new Error(`GET ${route} answered ${res.status}`);
  return res.json();
}

/** Takes the helpdesk down (every connection closed unanswered) or brings it back. */
export async function setUnavailable(sim, on) {
  const res = await fetch(sim.control, { method: 'POST', body: on ? 'on' : 'off' });
  if (!res.ok) throw new Error(`the sim control answered ${res.status}`);
}
