#!/usr/bin/env bash
# Installs what building, running and testing Ticketdeck needs on Debian/Ubuntu, and only what
# is missing, so a second run costs nothing: system packages (WebKitGTK, Xvfb, the Secret
# Service keychain, WebKitWebDriver), the UI's npm packages and tauri-driver.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

pkgs=(libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libssl-dev pkg-config build-essential file
  webkit2gtk-driver xvfb xauth dbus dbus-x11 gnome-keyring libsecret-1-dev libsecret-tools
  imagemagick curl ca-certificates)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "cargo not found: install Rust from https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm not found: install Node.js 20.19 or newer" >&2; exit 1; }

if ! command -v tauri-driver >/dev/null; then
  echo "installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

if [ -f "$root/ui/package-lock.json" ]; then
  if [ ! -d "$root/ui/node_modules" ] || [ "$root/ui/package-lock.json" -nt "$root/ui/node_modules/.package-lock.json" ]; then
    (cd "$root/ui" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
