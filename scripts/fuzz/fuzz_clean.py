"""Fuzz the cleaner: ``clean.clean_document`` on text and HTML documents raises nothing but
``InputRejected``, and every article it gives has text.  Run: see _harness.py."""

from __future__ import annotations

import hashlib

from _harness import demo_seeds, run, text_of

from chainatlas.clean import clean_document
from chainatlas.errors import InputRejected
from chainatlas.model import DecodedDocument


def one_input(data: bytes) -> None:
    if not data:
        return
    fmt = ("text", "html", "markdown")[data[0] % 3]
    text = text_of(data[1:])
    doc = DecodedDocument("fuzz.txt", text, "utf-8", fmt, hashlib.sha256(data).hexdigest())
    try:
        articles = clean_document(doc)
    except InputRejected:
        return
    for a in articles:
        assert isinstance(a.text, str) and a.text.strip(), (fmt, text[:200])


if __name__ == "__main__":
    run("clean", one_input, [bytes([i % 3]) + s for i, s in enumerate(demo_seeds("*.txt", "*.html"))])
