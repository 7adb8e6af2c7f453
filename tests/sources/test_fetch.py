"""The polite fetcher and the discovery of links, sitemap entries and feed items."""

from __future__ import annotations

from tests.sources.fakesite import FakeSite, rss

from chainatlas.sources.discover import feed_entries, list_links, sitemap_entries
from chainatlas.sources.fetch import PoliteFetcher


def test_robots_txt_is_honoured_even_through_a_redirect():
    with FakeSite() as site:
        site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
        site.put("/open.html", "<p>公开页面</p>")
        site.put("/private/x.html", "<p>内部页面</p>")
        with PoliteFetcher(min_interval=0.0, timeout=5) as f:
            assert f.fetch(site.url("/open.html")).ok
            res = f.fetch(site.url("/private/x.html"))
            assert res.disallowed and not res.ok
        assert site.requested("/private/x.html") == 0
        assert site.requested("/robots.txt") == 1  # read once per host and run


def test_robots_for_our_agent_and_missing_robots():
    with FakeSite() as site:
        site.put("/robots.txt", "User-agent: chainatlas\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "text/plain")
        site.put("/a.html", "<p>页面</p>")
        with PoliteFetcher(min_interval=0.0, timeout=5) as f:
            assert f.fetch(site.url("/a.html")).disallowed
    with FakeSite() as site:  # no robots.txt at all (404): everything allowed
        site.put("/a.html", "<p>页面</p>")
        with PoliteFetcher(min_interval=0.0, timeout=5) as f:
            assert f.fetch(site.url("/a.html")).ok


def test_unreadable_robots_disallows_the_host():
    with FakeSite() as site:
        site.fail["/robots.txt"] = 503
        site.put("/a.html", "<p>页面</p>")
        with PoliteFetcher(min_interval=0.0, timeout=5) as f:
            assert f.fetch(site.url("/a.html")).disallowed
        assert site.requested("/a.html") == 0


def test_conditional_request_gets_304_and_size_cap_refuses_big_bodies():
    with FakeSite() as site:
        site.put("/a.html", "<p>" + "产业链" * 100 + "</p>")
        with PoliteFetcher(min_interval=0.0, timeout=5) as f:
            first = f.fetch(site.url("/a.html"))
            assert first.ok and first.etag
            again = f.fetch(site.url("/a.html"), etag=first.etag)
            assert again.not_modified and again.data == b""
        with PoliteFetcher(min_interval=0.0, timeout=5, max_bytes=100) as f:
            big = f.fetch(site.url("/a.html"))
            assert not big.ok and "过大" in (big.error or "")


def test_unreachable_host_is_an_error_not_an_exception():
    with FakeSite() as site:
        url = site.url("/a.html")
    with PoliteFetcher(min_interval=0.0, timeout=2) as f:  # the server is gone
        res = f.fetch(url)
        assert not res.ok and (res.error or res.disallowed)


def test_list_links_follow_the_pattern():
    html = ("<a href='/news/2025/0401.html'>一</a><a href='detail?id=1'>二</a><a href='/about'>关于</a>"
            "<a href='https://other.example/x/123.html'>外站</a><a href='/news/2025/0401.html#top'>重复</a>"
            "<a href='javascript:void(0)'>脚本</a>")
    base = "https://gov.example/news/index.html"
    assert list_links(html, base) == ["https://gov.example/news/2025/0401.html"]
    assert list_links(html, base, r"detail\?id=\d+") == ["https://gov.example/news/detail?id=1"]


def test_sitemap_and_sitemap_index():
    pages, children = sitemap_entries(
        b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        b"<url><loc>https://a.example/1.html</loc><lastmod>2025-04-01</lastmod></url>"
        b"<url><loc>https://a.example/2.html</loc></url></urlset>")
    assert [(p.loc, p.lastmod) for p in pages] == [("https://a.example/1.html", "2025-04-01"),
                                                   ("https://a.example/2.html", None)]
    assert children == []
    pages, children = sitemap_entries(
        b"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        b"<sitemap><loc>https://a.example/s1.xml</loc></sitemap></sitemapindex>")
    assert pages == [] and children == ["https://a.example/s1.xml"]


def test_feed_items_are_stable_documents():
    one = rss("动态", [("标题一", "https://a.example/1.html", "Tue, 01 Apr 2025 09:00:00 +0800", "<p>正文一</p>")])
    two = rss("动态", [("标题二", "https://a.example/2.html", "Wed, 02 Apr 2025 09:00:00 +0800", "<p>正文二</p>"),
                      ("标题一", "https://a.example/1.html", "Tue, 01 Apr 2025 09:00:00 +0800", "<p>正文一</p>")])
    a = {e.key: e.rss for e in feed_entries(one.encode(), "https://a.example/feed.xml")}
    b = {e.key: e.rss for e in feed_entries(two.encode(), "https://a.example/feed.xml")}
    assert set(b) == {"https://a.example/1.html", "https://a.example/2.html"}
    assert a["https://a.example/1.html"] == b["https://a.example/1.html"]  # the old item's bytes do not move
