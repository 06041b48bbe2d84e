#!/usr/bin/env bash
# Installs whatever is missing, then runs every check Ticketdeck has: formatting and lints (Rust
# and UI), the UI's type check and unit tests, every Rust test (under a private Secret Service
# keychain), and the end-to-end tests in the real app window under Xvfb. Exits non-zero on the
# first failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n=== %s\n' "$*"; }

step "install what is missing"
bash tests/scripts/install-deps.sh

step "UI: build, type check, lint, unit tests"
(cd ui && npm run --silent build && npm run --silent check && npm run --silent lint && npm run --silent test)

step "Rust: format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "build the app and the CLI"
cargo build --workspace --locked

# A private session bus with a fresh, unlocked gnome-keyring: the real OS keychain (Secret
# Service), isolated from the user's own (its keyring files live in a temporary XDG_DATA_HOME).
with_keychain() {
  local keyring_home
  keyring_home=$(mktemp -d)
  XDG_DATA_HOME="$keyring_home" dbus-run-session -- bash -c 'echo -n ticketdeck-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "$@"' _ "$@"
  local rc=$?
  rm -rf "$keyring_home"
  return $rc
}

step "Rust tests (with a Secret Service keychain)"
with_keychain cargo test --workspace --locked

step "end-to-end tests in the real window (Xvfb + tauri-driver)"
display=:97
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
export TICKETDECK_APP="${CARGO_TARGET_DIR:-$root/target}/debug/ticketdeck-app"
# The demo helpdesk puts its hostile HTML body (img onerror, script, javascript: links) here.
export TICKETDECK_HOSTILE_SUBJECT="Order page shows strange characters"
DISPLAY=$display with_keychain node --test --test-concurrency=1 tests/e2e/
echo "screenshots: $root/tests/e2e/screenshots"
