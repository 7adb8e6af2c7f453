"""Projects, the parties stage: who signs.

After the sentences have given their projects, two readings of the signing's parties: an
article's one named project without an investor takes the company among the parties
(``_signing_parties``), and firms listed as a signing's parties in a sentence that names no
project each sign a project of their own (``_party_signings``: 与A、B签署项目投资协议, 与A、B等10家
企业签约, A、B等12家企业与某地签订入驻协议).  Pure functions of the text and the article index."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Final

from chainatlas.extract.metrics import find_dates
from chainatlas.extract.project_arguments import _any_in, _ArticleIndex, _has_name_end
from chainatlas.extract.project_merge import _Found, _same_investor
from chainatlas.extract.project_triggers import _ProjectVocab, _pv
from chainatlas.model import Amount, Entity, Metric, Project

# 与A、B签署项目投资协议: the companies that sign a project agreement, listed after 与
_PARTY_SIGNING: Final = re.compile(
    r"与([^，,。；;：:]{4,160}?)(?:共同|分别)?(?:进行)?(?:现场|集中)?(?:签署|签订|签约|签下)了?"
    r"(?P<obj>(?:[^，,。；;]{0,6}?(?:项目|投资)[^，,。；;]{0,4})?协议)?"
)


_BARE_END: Final = "，,。；;"


# A、B等12家上海企业与某科技城现场签订入驻协议: the firms listed before the body they sign with
_PARTIES_SIGN: Final = re.compile(
    r"(?:^|[，,。；;：:\n])([^，,。；;：:\n]{4,160}?等(?:[0-9]+|[一二两三四五六七八九十]+)?家?[^，,。；;、]{0,6}?企业)"
    r"与[^，,。；;、]{2,30}?(?:共同|分别)?(?:进行)?(?:现场|集中)?(?:签署|签订|签约)了?"
    r"(?P<obj>(?:[^，,。；;]{0,6}?(?:项目|投资|入驻|落户)[^，,。；;]{0,4})?协议)?"
)


# 与A、B等21家企业，通过线上线下方式，集中签约项目21个: the firms, then the signing of their projects
_FIRMS_THEN_SIGN: Final = re.compile(
    r"与([^，,。；;：:]{4,160}?等(?:[0-9]+|[一二两三四五六七八九十]+)家企业)[，,][^。；;]{0,30}?(?:签约|签订|签署)"
    r"(?P<obj>项目)"
)


_FIRMS_TAIL: Final = re.compile(r"等(?:[0-9]+|[一二两三四五六七八九十]+)?(?:家|个)?[^，,。；;、]{0,6}?(?:企业|公司|单位)$")


_PARTY_GAP: Final = "、和及与,，"


def _party_signings(
    text: str, sentences: list[tuple[int, int]], idx: _ArticleIndex, found: list[_Found], published: str | None,
    money: Sequence[Metric] = (),
) -> None:
    """与A、B签署项目投资协议 in a sentence naming no project: each company listed there signs a
    project of its own (its name not said). Only a project or investment agreement counts (a
    strategic or three-party cooperation is no project), or a bare signing (与A、B和C进行现场签约。)
    of two or more companies; and only companies no project of the article has as its
    investor already."""
    taken = {f.project.investor for f in found if f.project.investor}
    v = _pv()
    matches = list(_PARTY_SIGNING.finditer(text))
    if "企业与" in text:
        matches += list(_PARTIES_SIGN.finditer(text))
    if "家企业" in text:
        matches += list(_FIRMS_THEN_SIGN.finditer(text))
    starts = [a for a, _ in sentences]
    for m in matches:
        obj = m.group("obj")
        si = bisect.bisect_right(starts, m.start()) - 1
        if si < 0:
            continue
        s_start, s_end = sentences[si]
        # (签约一项100亿元的工业项目, 签约，项目总投资100亿元: a firm's unnamed project and its figure)
        figure = _signed_figure(text, m.end(), si, sentences, money) \
            if money and obj is None and not any(w in m.group(1) for w in _SEVERAL_PARTIES[:2]) else None
        if obj is None:
            if (m.end() >= len(text) or text[m.end()] not in _BARE_END) and figure is None:
                continue  # 与A、B签约X…: what is signed is said (read elsewhere)
        elif "项目" not in obj and "投资" not in obj and "入驻" not in obj and "落户" not in obj:
            continue  # a strategic or framework cooperation: no project
        if any(f.project.span == (s_start, s_end) and not f.project.aggregate for f in found):
            continue  # the sentence names its projects: they are read with their investors
        if _has_name_end(text, m.end(), s_end) and figure is None:
            continue  # the sentence names its projects: they are read with their investors
        list_end = m.end(1)
        firms = _FIRMS_TAIL.search(text, m.start(1), m.end(1))
        if firms is not None and firms.end() == m.end(1):
            list_end = firms.start()  # 与A、B等10家企业签约: the named firms, before the count
            lenders = _pv().lender_heads  # (named parties of the signing, not examples: 等 counts them)
            comps = [c for c in idx.companies_in(m.start(1), list_end) if not any(w in c[2].name for w in lenders)]
        else:
            comps = [c for c in idx.companies_in(m.start(1), m.end(1)) if _usable(idx, c)]
        if obj is None and len(comps) < 2 and figure is None:
            continue  # 与A公司签约。: one party's signing is the article's project (its parties read above)
        if len(comps) != 1 or any(w in text[m.start(1) : comps[0][0]] + text[comps[0][1] : m.end(1)]
                                  for w in _SEVERAL_PARTIES):
            figure = None  # (several parties: the figure is the signing's total, not one firm's)
        if not comps or comps[-1][1] != list_end or any(
            text[a[1] : b[0]].strip(_PARTY_GAP) for a, b in zip(comps, comps[1:], strict=False)
        ):
            continue  # the parties must be the whole list, one company after another
        date, planned = find_dates(text, s_start, s_end, published, v.future_markers)
        for c in comps:
            name = c[2].name
            if name in taken or any(_same_investor(name, t) for t in taken):
                continue  # (某某新能源开发有限公司 / 某某新能源有限公司: the firm a project has already)
            taken.add(name)
            found.append(_Found(Project(
                name=None, investor=name, location=None,
                amount=None if figure is None else Amount(figure.value, figure.unit or "元"), stage="签约",
                span=(s_start, s_end), date=date, planned_date=planned,
            ), -100, ""))


_SEVERAL_PARTIES: Final = ("、", "等", "和", "及", "以及")
_INVESTED_FIGURE: Final = re.compile(r"(?:总投资|投资总额|计划投资|拟投资|投资)(?:额|约|达|为|近|超)?\Z")
_FIGURE_THEN_PROJECT: Final = re.compile(r"的[^，,。；;]{0,8}?项目")
_NEXT_ABOUT_IT: Final = re.compile(r"\s*(?:该项目|项目)")


def _signed_figure(
    text: str, at: int, si: int, sentences: list[tuple[int, int]], money: Sequence[Metric],
) -> Metric | None:
    """The investment of a firm's signing whose project has no name of its own: a figure after the
    signing verb in its sentence (签约一项100亿元的工业项目, 签约，项目总投资100亿元) or opening the next
    sentence about it (…签约。该项目总投资100亿元)."""
    s_end = sentences[si][1]
    spans = [(at, s_end)]
    if si + 1 < len(sentences) and _NEXT_ABOUT_IT.match(text, sentences[si + 1][0]) is not None:
        spans.append((sentences[si + 1][0], min(sentences[si + 1][1], sentences[si + 1][0] + 24)))
    for a, b in spans:
        for m in money:
            if a <= m.span[0] < b and (
                _INVESTED_FIGURE.search(text, max(a, m.span[0] - 6), m.span[0]) is not None
                or _FIGURE_THEN_PROJECT.match(text, m.span[1]) is not None
            ):
                return m
    return None


def _signing_parties(text: str, sentences: list[tuple[int, int]], idx: _ArticleIndex, found: list[_Found]) -> None:
    """The one named project an article reports without an investor takes the company among
    the signing's parties — the first company of a sentence where the parties sign (县长代表
    县政府与A有限公司、B有限公司签署协议 → A) or are urged to build it (希望A和B加快推进项目建设
    → A) — else the article's only company that stands in an investor role (its 董事长 or
    总经理 named, or 与A签约). Lenders, companies given as examples and companies only
    visited (考察调研) are no parties."""
    open_ = [f for f in found if not f.project.aggregate and f.project.name is not None and f.project.investor is None]
    if len(open_) != 1 or not idx.companies():
        return
    target = open_[0].project
    if any(f is not open_[0] and not f.project.aggregate and f.project.span == target.span for f in found):
        return  # an item of a list whose other items name their companies: its own would be in its name
    taken = {f.project.investor for f in found if f.project.investor}
    v = _pv()
    first = bisect.bisect_right([a for a, _ in sentences], target.span[0]) - 1
    for a, b in sentences[max(0, first):]:
        party = _party_in(text, a, b, idx, v)
        if party is not None and party not in taken:
            target.investor = party
            return
    sole = _sole_company(text, sentences, idx, v)
    if sole is not None and sole not in taken:
        first = min((c[0] for c in idx.companies() if c[2].name == sole), default=-1)
        if first > target.span[1] and _OTHER_PROJECT.search(text, target.span[1], first) is not None:
            return  # the company comes with another project reported after this one: that one is its
        target.investor = sole


_OTHER_PROJECT: Final = re.compile(r"项目|工程")


def _usable(idx: _ArticleIndex, c: tuple[int, int, Entity]) -> bool:
    """A company that can invest: no lender, not one of examples (A、B等)."""
    if any(w in c[2].name for w in _pv().lender_heads):
        return False
    return not _EXAMPLE_LIST.match(idx.text, c[1])


_EXAMPLE_LIST: Final = re.compile(r"(?:、[^，,。；;、]{2,20})*等")


def _party_in(text: str, a: int, b: int, idx: _ArticleIndex, v: _ProjectVocab) -> str | None:
    """The first company of a sentence where the signing's parties sign or are urged to build."""
    seg = text[a:b]
    signs = _any_in(v.signing_verbs, seg) and _any_in(v.signing_objects, seg)
    hopes = not signs and _any_in(v.signing_hopes, seg) and _any_in(v.signing_hope_verbs, seg) and "项目" in seg
    if not signs and not hopes:
        return None
    if _any_in(v.visit_words, seg) or _any_in(v.customer_words, seg):
        return None  # a visit, or a supply / research agreement: the other side is no investor
    comps = [c for c in idx.companies_in(a, b) if _usable(idx, c)]
    if not comps:
        return None
    name = comps[0][2].name
    for w in v.signing_hopes:  # 希望A有限公司…: the verb glued to the name the article also writes alone
        if name.startswith(w) and any(e.name == name[len(w):] for _, e in idx.company_forms()):
            return name[len(w):]
    return name


def _sole_company(text: str, sentences: list[tuple[int, int]], idx: _ArticleIndex, v: _ProjectVocab) -> str | None:
    """The article's only company (not visited, not a lender) named with a role (A董事长) or
    as the other side of 与A签约/签订."""
    names: dict[str, bool] = {}
    starts = [s for s, _ in sentences]
    for c in idx.companies():
        if not _usable(idx, c):
            continue
        si = bisect.bisect_right(starts, c[0]) - 1
        a, b = sentences[si] if si >= 0 else (0, len(text))
        if _any_in(v.visit_words, text[a:b]) or _any_in(v.customer_words, text[a:b]):
            continue  # only visited, or a customer: no party (unless named elsewhere)
        role = text.startswith(v.company_roles, c[1]) or (
            text[c[0] - 1:c[0]] == "与" and _any_in(v.signing_verbs, text[c[1]:b])
        )
        names[c[2].name] = names.get(c[2].name, False) or role
    if len(names) != 1:
        return None
    name, role = next(iter(names.items()))
    return name if role else None
