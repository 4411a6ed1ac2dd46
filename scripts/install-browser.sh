#!/usr/bin/env bash
# Install Debian's Chromium (used by the headless browser check of the HTML briefings).
# Playwright's own browser download needs a CDN; Debian's package works offline-from-CDN.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
chromium --version
