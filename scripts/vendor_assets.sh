#!/usr/bin/env bash
# Vendors front-end libraries from the npm registry into the web app's static folder (once):
# ECharts (charts), swagger-ui-dist and redoc (the API docs at /docs and /redoc).  Nothing is
# loaded from a CDN at run time; the app's CSP allows only 'self'.
set -u
dest=src/chainatlas/web/static/vendor
mkdir -p "$dest"
if ! command -v npm >/dev/null 2>&1; then
  echo "assets: npm not found; charts fall back to tables and /docs to the OpenAPI JSON" >&2
  exit 0
fi
# fetch PACKAGE@VERSION, then copy "src:dst" pairs from its package/ folder
vendor() {
  local spec=$1; shift
  local missing=0 pair
  for pair in "$@"; do [ -s "$dest/${pair#*:}" ] || missing=1; done
  [ "$missing" = 0 ] && return 0
  local tmp
  tmp=$(mktemp -d)
  if ( cd "$tmp" && npm pack "$spec" --silent >/dev/null 2>&1 && tar xzf ./*.tgz ); then
    for pair in "$@"; do
      mkdir -p "$(dirname "$dest/${pair#*:}")"
      cp "$tmp/package/${pair%%:*}" "$dest/${pair#*:}" || echo "assets: $spec has no ${pair%%:*}" >&2
    done
  else
    echo "assets: could not fetch $spec from the npm registry" >&2
  fi
  rm -rf "$tmp"
}
vendor echarts@5 dist/echarts.min.js:echarts.min.js
vendor swagger-ui-dist@5 swagger-ui-bundle.js:swagger-ui/swagger-ui-bundle.js swagger-ui.css:swagger-ui/swagger-ui.css
vendor redoc@2 bundles/redoc.standalone.js:redoc/redoc.standalone.js
exit 0
