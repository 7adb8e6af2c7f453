"""One polling round over the due sources: fetch only what is new or changed, ingest it, alert.

For each due source (``store.sources.due_sources``):

* ``page``: the URL itself, conditionally (ETag / Last-Modified);
* ``feed``: the feed, conditionally; each item is its own document (a one-item RSS whose
  bytes only change when the item does).  An item whose content is a bare summary (fewer than
  ``SUMMARY_CHARS`` characters) is replaced by the page it links to, fetched once;
* ``list``: the index page, conditionally; links matching the source's pattern (default: same
  host, a document-like path) are new pages; known pages are re-checked conditionally;
* ``sitemap``: the sitemap (and up to ``MAX_CHILD_SITEMAPS`` children of a sitemap index);
  a page whose ``<lastmod>`` did not move is not requested at all.

A 200 response whose body hashes like the last one is "unchanged" too (servers without
conditional support).  New bytes go through the ingest pipeline (``Processor``) into the
store; a document that existed before gets a ``page_changes`` row (lines added/removed).
Then the watch rules run over the articles just stored (``chainatlas.watch``).  A source whose
index cannot be fetched (or whose every page failed) counts as failed: back-off, and the
error is on its health line.
"""

from __future__ import annotations

import difflib
import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chainatlas.model import InputError, RawDocument
from chainatlas.settings import Settings
from chainatlas.sources.discover import feed_entries, list_links, sitemap_entries, wanted
from chainatlas.sources.fetch import FetchResult, PoliteFetcher
from chainatlas.store import sources as db

SUMMARY_CHARS = 120
MAX_CHILD_SITEMAPS = 20
DEFAULT_MAX_PAGES = 500  # pages fetched per source and round (new links first, then the least recently checked)


@dataclass(slots=True)
class SourceRound:
    source_id: str
    url: str
    name: str | None
    kind: str
    ok: bool = True
    error: str | None = None
    new_documents: list[str] = field(default_factory=list)
    changed_documents: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_modified: int = 0
    disallowed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    requests: int = 0
    article_ids: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return len(self.new_documents) + len(self.changed_documents)


@dataclass(slots=True)
class PollReport:
    rounds: list[SourceRound] = field(default_factory=list)
    alerts: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rounds)

    def totals(self) -> dict[str, int]:
        return {"sources": len(self.rounds), "new": sum(len(r.new_documents) for r in self.rounds),
                "changed": sum(len(r.changed_documents) for r in self.rounds),
                "unchanged": sum(r.unchanged + r.not_modified for r in self.rounds),
                "requests": sum(r.requests for r in self.rounds),
                "failed_sources": sum(1 for r in self.rounds if not r.ok), "alerts": self.alerts}

    def as_dict(self) -> dict[str, Any]:
        return {"totals": self.totals(), "seconds": round(self.seconds, 3), "sources": [
            {"id": r.source_id, "url": r.url, "name": r.name, "kind": r.kind, "ok": r.ok, "error": r.error,
             "new": r.new_documents, "changed": r.changed_documents, "unchanged": r.unchanged,
             "not_modified": r.not_modified, "disallowed": r.disallowed,
             "failed": [{"url": u, "reason": why} for u, why in r.failed], "requests": r.requests}
            for r in self.rounds]}


def _lines(texts: list[str]) -> list[str]:
    return [ln.strip() for t in texts for ln in t.split("\n") if ln.strip()]


class Poller:
    """Holds the store, the fetcher and the (lazily loaded) ingest processor for one run."""

    def __init__(self, store: Any, settings: Settings, fetcher: PoliteFetcher | None = None,
                 processor: Any = None, max_pages: int = DEFAULT_MAX_PAGES) -> None:
        self.store = store
        self.settings = settings
        self.fetcher = fetcher or PoliteFetcher(timeout=settings.http_timeout, max_bytes=settings.max_bytes)
        self._processor = processor
        self.max_pages = max_pages

    @property
    def processor(self) -> Any:
        if self._processor is None:
            from chainatlas.pipeline import Processor

            self._processor = Processor()
        return self._processor

    # ------------------------------------------------------------ one document

    def ingest_bytes(self, rnd: SourceRound, source: str, data: bytes, media_type: str | None,
                     now: datetime | None) -> bool:
        """Process and store one fetched document unless it is unchanged; True when stored."""
        store = self.store
        raw = RawDocument(source=source, data=data, media_type=media_type, fetched_at=db.now_iso(now))
        status = store.document_status(source, raw.sha256)
        if status == "unchanged":
            rnd.unchanged += 1
            return False
        conn = store.conn
        old_sha = None
        old_lines: list[str] = []
        if status == "changed":
            row = conn.execute("SELECT id, sha256 FROM documents WHERE source = ?", (source,)).fetchone()
            old_sha = row["sha256"]
            old_lines = _lines([r[0] for r in conn.execute(
                "SELECT text FROM articles WHERE document_id = ? ORDER BY part", (row["id"],))])
        result = self.processor.process(raw)
        if isinstance(result, InputError):
            store.record_rejection(result)
            rnd.failed.append((source, f"{result.stage}: {result.reason}"))
            return False
        try:
            added = store.add_document(result.decoded, result.articles, result.extractions, result.mappings,
                                       prep=result.prep)
        except Exception as exc:  # the transaction rolled back
            err = InputError(source, "store", f"{type(exc).__name__}: {exc}")
            store.record_rejection(err)
            rnd.failed.append((source, err.reason))
            return False
        if added.unchanged:
            rnd.unchanged += 1
            return False
        doc = conn.execute("SELECT id FROM documents WHERE source = ?", (source,)).fetchone()
        ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE document_id = ? ORDER BY part", (doc[0],))]
        rnd.article_ids.extend(ids)
        if status == "changed":
            new_lines = _lines([a.text for a in result.articles])
            diff = list(difflib.ndiff(old_lines, new_lines))
            db.record_change(conn, source, old_sha, raw.sha256,
                             [d[2:] for d in diff if d.startswith("+ ")],
                             [d[2:] for d in diff if d.startswith("- ")], now=now)
            rnd.changed_documents.append(source)
        else:
            rnd.new_documents.append(source)
        return True

    # ------------------------------------------------------------ one URL

    def _fetch(self, rnd: SourceRound, url: str, state: dict[str, Any] | None) -> FetchResult:
        before = self.fetcher.requests
        res = self.fetcher.fetch(url, (state or {}).get("etag"), (state or {}).get("last_modified"))
        rnd.requests += self.fetcher.requests - before
        return res

    def visit(self, rnd: SourceRound, url: str, role: str = "page", lastmod: str | None = None,
              now: datetime | None = None) -> FetchResult | None:
        """Fetch one page conditionally and ingest it when new or changed."""
        conn = self.store.conn
        state = db.page_state(conn, url)
        res = self._fetch(rnd, url, state)
        if res.disallowed:
            rnd.disallowed.append(url)
            return res
        if res.not_modified:
            rnd.not_modified += 1
            db.save_page(conn, url, rnd.source_id, role, status=304, lastmod=lastmod, now=now)
            return res
        if not res.ok:
            rnd.failed.append((url, res.error or f"HTTP {res.status}"))
            db.save_page(conn, url, rnd.source_id, role, status=res.status or None, now=now)
            return res
        sha = hashlib.sha256(res.data).hexdigest()
        if state and state.get("sha256") == sha:
            rnd.unchanged += 1
            db.save_page(conn, url, rnd.source_id, role, status=res.status, etag=res.etag,
                         last_modified=res.last_modified, lastmod=lastmod, now=now)
            return res
        stored = role == "index" or self.ingest_bytes(rnd, url, res.data, res.media_type, now)
        db.save_page(conn, url, rnd.source_id, role, status=res.status, etag=res.etag,
                     last_modified=res.last_modified, sha256=sha, lastmod=lastmod, changed=bool(stored), now=now)
        return res

    # ------------------------------------------------------------ kinds

    def _pages(self, rnd: SourceRound, urls: list[str], lastmods: dict[str, str | None], now: datetime | None) -> None:
        conn = self.store.conn
        known = {p["url"]: p for p in db.pages_of(conn, rnd.source_id)}
        fresh = [u for u in urls if u not in known]
        old = sorted((u for u in urls if u in known), key=lambda u: known[u].get("last_checked") or "")
        for url in (fresh + old)[: self.max_pages]:
            lm = lastmods.get(url)
            if lm and url in known and known[url].get("lastmod") == lm:
                rnd.unchanged += 1  # the sitemap says it did not move: no request at all
                continue
            self.visit(rnd, url, "page", lastmod=lm, now=now)

    def _index(self, rnd: SourceRound, src: dict[str, Any], now: datetime | None) -> FetchResult | None:
        res = self.visit(rnd, src["url"], "index", now=now)
        if res is None or res.disallowed:
            rnd.ok, rnd.error = False, "robots.txt 禁止抓取该来源"
            return None
        if not res.ok and not res.not_modified:
            rnd.ok, rnd.error = False, res.error or f"HTTP {res.status}"
            return None
        return res

    def poll_source(self, src: dict[str, Any], now: datetime | None = None) -> SourceRound:
        rnd = SourceRound(src["id"], src["url"], src.get("name"), src["kind"])
        kind = src["kind"]
        conn = self.store.conn
        if kind == "page":
            res = self.visit(rnd, src["url"], "page", now=now)
            if res is not None and (res.disallowed or not (res.ok or res.not_modified)):
                rnd.ok, rnd.error = False, res.error or f"HTTP {res.status}"
        elif kind == "feed":
            res = self._index(rnd, src, now)
            if res is not None and res.ok:
                self._feed(rnd, src, res, now)
        elif kind == "list":
            res = self._index(rnd, src, now)
            if res is not None:
                if res.ok:
                    try:
                        text = res.data.decode("utf-8")
                    except UnicodeDecodeError:
                        text = res.data.decode("gb18030", errors="replace")
                    links = list_links(text, src["url"], src.get("pattern"))
                else:  # 304: the links we know
                    links = [p["url"] for p in db.pages_of(conn, src["id"], "page")]
                self._pages(rnd, links, {}, now)
        elif kind == "sitemap":
            res = self._index(rnd, src, now)
            if res is not None:
                if res.ok:
                    self._sitemap(rnd, src, res.data, now)
                else:
                    pages = db.pages_of(conn, src["id"], "page")
                    self._pages(rnd, [p["url"] for p in pages], {}, now)
        if rnd.ok and rnd.failed and not (rnd.stored or rnd.not_modified or rnd.unchanged):  # nothing worked
            rnd.ok = False
            rnd.error = f"{len(rnd.failed)} 个页面失败：{rnd.failed[0][1]}"
        elif rnd.ok and rnd.failed:
            rnd.error = f"{len(rnd.failed)} 个页面失败：{rnd.failed[0][0]} {rnd.failed[0][1]}"
        return rnd

    def _feed(self, rnd: SourceRound, src: dict[str, Any], res: FetchResult, now: datetime | None) -> None:
        conn = self.store.conn
        try:
            entries = feed_entries(res.data, src["url"])
        except ValueError as exc:
            rnd.ok, rnd.error = False, str(exc)
            return
        for entry in entries:
            fingerprint = hashlib.sha256(entry.rss).hexdigest()
            state = db.page_state(conn, entry.key)
            if state and state.get("lastmod") == fingerprint:
                rnd.unchanged += 1
                continue
            if entry.text_chars < SUMMARY_CHARS and entry.link:
                page = self.visit(rnd, entry.link, "item", lastmod=fingerprint, now=now)
                if page is not None and (page.ok or page.not_modified or page.disallowed):
                    continue
                if rnd.failed and rnd.failed[-1][0] == entry.link:  # the item's own text will do
                    rnd.failed.pop()
            self.ingest_bytes(rnd, entry.key, entry.rss, "application/rss+xml", now)
            db.save_page(conn, entry.key, rnd.source_id, "item", status=200, lastmod=fingerprint,
                         sha256=fingerprint, changed=True, now=now)

    def _sitemap(self, rnd: SourceRound, src: dict[str, Any], data: bytes, now: datetime | None) -> None:
        try:
            entries, children = sitemap_entries(data)
        except ValueError as exc:
            rnd.ok, rnd.error = False, str(exc)
            return
        for child in children[:MAX_CHILD_SITEMAPS]:
            res = self._fetch(rnd, child, None)
            if res.ok:
                try:
                    more, _ = sitemap_entries(res.data)
                except ValueError as exc:
                    rnd.failed.append((child, str(exc)))
                    continue
                entries.extend(more)
            elif res.disallowed:
                rnd.disallowed.append(child)
            else:
                rnd.failed.append((child, res.error or f"HTTP {res.status}"))
        urls: list[str] = []
        lastmods: dict[str, str | None] = {}
        for e in entries:
            if e.loc not in lastmods and wanted(e.loc, src["url"], src.get("pattern") or r"^https?://"):
                urls.append(e.loc)
                lastmods[e.loc] = e.lastmod
        self._pages(rnd, urls, lastmods, now)


def poll(store: Any, settings: Settings, *, now: datetime | None = None, force: bool = False,
         only: str | None = None, fetcher: PoliteFetcher | None = None, processor: Any = None,
         max_pages: int = DEFAULT_MAX_PAGES, evaluate: bool = True) -> PollReport:
    """One round over the due sources (all with ``force``, or the one ``only`` names)."""
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    conn = store.conn
    if only:
        src = db.get_source(conn, only)
        if src is None:
            raise ValueError(f"没有这个来源：{only}")
        todo = [src]
    else:
        todo = db.due_sources(conn, now, force=force)
    report = PollReport()
    own_fetcher = fetcher is None
    poller = Poller(store, settings, fetcher, processor, max_pages=max_pages)
    if todo:  # the analysts' lexicon and stop list (review.learning) apply to polled pages too
        from chainatlas.review.learning import user_lexicon

        poller.processor.extractor.user_lexicon = user_lexicon(conn)
    try:
        for src in todo:
            try:
                rnd = poller.poll_source(src, now)
            except Exception as exc:  # one broken source never stops the round
                rnd = SourceRound(src["id"], src["url"], src.get("name"), src["kind"], ok=False,
                                  error=f"{type(exc).__name__}: {exc}")
            db.record_round(conn, src["id"], ok=rnd.ok, error=rnd.error, new_docs=rnd.stored, requests=rnd.requests,
                            not_modified=rnd.not_modified, disallowed=len(rnd.disallowed), now=now)
            report.rounds.append(rnd)
    finally:
        if own_fetcher:
            poller.fetcher.close()
    article_ids = [a for r in report.rounds for a in r.article_ids]
    if article_ids:  # judgements replayed on the new facts, leads moved by new signings (review.hooks)
        from chainatlas.review.hooks import after_ingest

        after_ingest(conn)
    if evaluate and article_ids:
        from chainatlas.watch.rules import evaluate_rules

        report.alerts = evaluate_rules(store, article_ids, now=now)
    report.seconds = time.perf_counter() - started
    return report
