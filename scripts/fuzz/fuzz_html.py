"""Fuzz the HTML path: ``clean.html.html_to_page`` (depth scan, flattening, main-content choice,
title and date) never raises on any string.  Run: see _harness.py."""

from __future__ import annotations

from _harness import demo_seeds, run, text_of

from chainatlas.clean.html import html_to_page


def one_input(data: bytes) -> None:
    html = text_of(data)
    page = html_to_page(html, 64)  # a low depth limit, so flattening runs on small inputs too
    assert isinstance(page.text, str)
    page = html_to_page(html)
    assert isinstance(page.text, str)


if __name__ == "__main__":
    run("html", one_input, demo_seeds("*.html"))
