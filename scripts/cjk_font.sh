#!/usr/bin/env bash
# Makes sure a CJK font is installed (the PDF briefing draws Chinese as boxes without one).
# As root on Debian/Ubuntu it installs fonts-noto-cjk; otherwise it says what to install.
set -u
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "中文字体：正在安装 fonts-noto-cjk（PDF 简报需要）" >&2
  { apt-get install -y -q fonts-noto-cjk fontconfig >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q fonts-noto-cjk fontconfig >/dev/null 2>&1; }; } \
    || echo "中文字体：安装失败；report --out x.pdf 将拒绝生成 PDF（HTML 简报不受影响）" >&2
  exit 0
fi
echo "中文字体：未找到（fc-list :lang=zh 为空）。请安装 fonts-noto-cjk；否则 report --out x.pdf 会拒绝生成 PDF。" >&2
exit 0
