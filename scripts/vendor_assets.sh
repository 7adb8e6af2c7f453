#!/usr/bin/env bash
# Vendors ECharts from the npm registry into the web app's static folder (once).
set -u
dest=src/chainatlas/web/static/vendor
mkdir -p "$dest"
[ -s "$dest/echarts.min.js" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "assets: npm not found; the chain map will fall back to a plain list" >&2
  exit 0
fi
tmp=$(mktemp -d)
( cd "$tmp" && npm pack echarts@5 --silent >/dev/null 2>&1 && tar xzf echarts-*.tgz ) \
  && cp "$tmp/package/dist/echarts.min.js" "$dest/echarts.min.js" \
  || echo "assets: could not fetch echarts from the npm registry" >&2
rm -rf "$tmp"
exit 0
