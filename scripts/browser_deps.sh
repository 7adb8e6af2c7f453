#!/usr/bin/env bash
# Installs what the browser and PDF tests need: Debian's chromium, a CJK font and Pango for WeasyPrint (root + apt only).
# Never runs `playwright install`: Playwright drives /usr/bin/chromium.
set -u
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'wqy\|noto sans cjk'; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "browser-deps: not root or no apt-get; browser tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq chromium fonts-wqy-microhei fontconfig libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 \
  || echo "browser-deps: apt-get install failed; browser tests will be skipped" >&2
exit 0
