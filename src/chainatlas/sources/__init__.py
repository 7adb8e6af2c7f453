"""Keeping the atlas current: registered sources polled politely (``chainatlas poll`` / ``watch``).

``fetch.PoliteFetcher`` (robots.txt, per-host rate limit, conditional requests, caps),
``discover`` (list-page links, sitemaps, feed items), ``poll.poll`` (one round over the due
sources), ``schedule.run_forever`` (the foreground scheduler).  The registry's SQL is in
``chainatlas.store.sources``.
"""
