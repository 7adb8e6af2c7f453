"""Watch rules, alerts and digests (HTML page, Atom feed, e-mail).

``rules.evaluate_rules`` turns the facts of newly stored articles into alerts;
``digest`` renders them (HTML, Atom) and ``mail`` sends a digest through SMTP.
"""
