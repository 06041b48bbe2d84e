#!/usr/bin/env bash
# Installs whatever is missing, builds Ticketdeck and opens it. On first launch (no accounts
# yet) it opens the built-in demo helpdesk. Without a display, it runs in a virtual one (Xvfb)
# and saves a screenshot.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash tests/scripts/install-deps.sh
(cd ui && npm run --silent build)
cargo build -p ticketdeck-app --release
app="${CARGO_TARGET_DIR:-$root/target}/release/ticketdeck-app"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: running in Xvfb on :98; a screenshot goes to $root/target/ticketdeck.png"
  Xvfb :98 -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  export DISPLAY=:98
  "$app" &
  app_pid=$!
  sleep 20
  import -window root "$root/target/ticketdeck.png"
  echo "screenshot saved; the app keeps running in Xvfb until you press Ctrl-C"
  wait $app_pid
else
  exec "$app"
fi
