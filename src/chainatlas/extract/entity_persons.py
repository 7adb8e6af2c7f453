"""Entity extraction, persons: role + name + speech verb, name + title (习近平总书记), names
with their role in brackets or apposition, lists of leaders (区领导甲、乙、丙出席) and op-ed
bylines; reporters, correspondents and editors are excluded."""

from __future__ import annotations

import re
from typing import Final

import daachorse

from chainatlas.extract.entity_base import _compiled, _Mention
from chainatlas.extract.lexicon import Lexicon, load_lexicon
from chainatlas.extract.wordre import word_alternation

_CLAUSE_START: Final = frozenset("，。；：！？、“”‘’（( \t\n\u3000")
_AUTHOR_LINE_WINDOW: Final = 200  # characters from the top where a bare-name byline may stand


_REPORTER_RE_SLOT: Final[list[re.Pattern[str]]] = []


def _reporter_re() -> re.Pattern[str]:
    if not _REPORTER_RE_SLOT:  # built once per process
        _REPORTER_RE_SLOT.append(_reporter_re_uncached())
    return _REPORTER_RE_SLOT[0]


def _reporter_re_uncached() -> re.Pattern[str]:
    marks = word_alternation(load_lexicon().reporter_markers)
    return re.compile(rf"(?:{marks})[:：]?\s*(?:[\u4e00-\u9fff]{{2,3}}[、\s]\s*){{0,4}}$")


def _is_reporter(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Bylines: 记者刘某、郭某 / 通讯员 李某 / 张某 摄."""
    if text[end : end + 3].lstrip().startswith("摄"):
        return True
    return _reporter_re().search(text, max(0, start - 24), start) is not None


def _persons(text: str, lex: Lexicon) -> list[_Mention]:
    out: list[_Mention] = []
    comp = _compiled()
    person = comp.person
    last_end = 0
    # one overlapping automaton pass finds every role word and every title after a name
    automaton, is_role, title_index = _person_cue_table()
    role_hits: list[tuple[int, int, int]] = []
    title_hits: list[tuple[int, int, int]] = []
    for hit in automaton.find_overlapping(text):
        idx = hit[2]
        if is_role[idx]:
            role_hits.append(hit)
        if title_index[idx] >= 0:
            title_hits.append((hit[0], hit[1], title_index[idx]))
    for rs, _, _ in _leftmost_longest(role_hits):  # anchor the role+name regex on role hits only
        if rs < last_end:
            continue
        m = person.match(text, rs)
        if m is None:
            continue
        last_end = m.end()
        role, name = m.group(1), m.group(2)
        if not (_plausible_name(name, lex) if "·" in name else _valid_person(name, lex)):
            continue
        s, e = m.span(2)
        if _is_reporter(text, m.start(), e, lex):
            continue
        out.append(_Mention(s, e, "person", name, "person", role=role))
    for m in comp.quote_person.finditer(text):
        name = m.group(1)
        if _plausible_name(name, lex) and len(name) == 3:
            s, e = m.span(1)
            out.append(_Mention(s, e, "person", name, "person"))
    # The three patterns below all end in a role followed by a given mark (NAME（ROLE）,
    # NAME是…ROLE。, NAME，ORG…ROLE，): one automaton pass tells which marks follow a role at
    # all, and a pattern whose mark never does cannot match — its clause-start scan is skipped.
    after_role = {text[e : e + 1] for _, e, _ in role_hits}
    for key, pattern, marks in (("paren_person", comp.paren_person, "）)"),
                                ("copula_person", comp.copula_person, "。，；"),
                                ("comma_person", comp.comma_person, "，,")):
        if not any(c in after_role for c in marks):
            continue
        if key == "copula_person" and "是" not in text and "任" not in text and "系" not in text:
            continue
        for m in pattern.finditer(text):
            name = m.group(1)
            if _plausible_name(name, lex):
                s, e = m.span(1)
                if not _is_reporter(text, s, e, lex):
                    out.append(_Mention(s, e, "person", name, "person", role=m.group(2)))
    out.extend(_names_before_titles(text, lex, _leftmost_longest(title_hits)))
    out.extend(_authors(text, lex))
    if "领导" in text:
        out.extend(_leader_lists(text, lex))
    return out


_LEADER_LIST: Final = re.compile(
    r"(?:省|市|区|县|旗|镇|乡|校|院)领导((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})(?=出席|参加|陪同|等|一同|共同|及|和|，|,|。)"
    # 区领导甲等见证签约: one name, closed by 等 (等 is no name character: U+7B49 left out)
    r"|(?:省|市|区|县|旗|镇|乡)领导([\u4e00-\u7b48\u7b4a-\u9fff]{2,3})(?=等)"
)


def _leader_lists(text: str, lex: Lexicon) -> list[_Mention]:
    """"区领导甲、乙、丙出席": every item of a list of names after 某级领导 is a person (all items
    must read as names, else the list is something else)."""
    out: list[_Mention] = []
    for m in _LEADER_LIST.finditer(text):
        grp = 1 if m.group(1) else 2
        names = m.group(grp).split("、")
        if not all(_valid_person(n, lex) for n in names):
            continue
        if grp == 2 and not _plausible_name(names[0], lex):
            continue
        pos = m.start(grp)
        for n in names:
            out.append(_Mention(pos, pos + len(n), "person", n, "person"))
            pos += len(n) + 1
    return out


def _names_before_titles(text: str, lex: Lexicon, titles: list[tuple[int, int, int]]) -> list[_Mention]:
    """A clause-initial name followed by its title ("，习近平总书记强调", "李明院士介绍"): given the
    titles found (start, end, index in ``lex.name_roles``, leftmost-longest), the two or three
    characters before each are checked."""
    out: list[_Mention] = []
    roles = lex.name_roles
    for rs, _, idx in titles:
        for n in (2, 3):
            s = rs - n
            if s < 0 or (s > 0 and text[s - 1] not in _CLAUSE_START and not (n == 3 and roles[idx] == "总书记")):
                continue  # (贯彻习近平总书记…: the head of state's title follows a verb, not a clause start)
            name = text[s:rs]
            if _plausible_name(name, lex) and not _is_reporter(text, s, rs, lex):
                out.append(_Mention(s, rs, "person", name, "person", role=roles[idx]))
            break
    return out


_PERSON_CUE_TABLE_SLOT: Final[list[tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[bool], list[int]]]] = []


def _person_cue_table() -> tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[bool], list[int]]:
    """One automaton over the role words (局长, 董事长) and the titles written after a name
    (总书记, 院士), with per pattern: is it a role, and its index in ``name_roles`` (or -1)."""
    if not _PERSON_CUE_TABLE_SLOT:  # built once per process
        _PERSON_CUE_TABLE_SLOT.append(_person_cue_table_uncached())
    return _PERSON_CUE_TABLE_SLOT[0]


def _person_cue_table_uncached() -> tuple[daachorse.CharwiseDoubleArrayAhoCorasick, list[bool], list[int]]:
    lex = load_lexicon()
    roles = set(lex.roles)
    titles = {w: i for i, w in reversed(list(enumerate(lex.name_roles)))}  # first index wins
    words = sorted(roles | set(titles))
    automaton = daachorse.CharwiseDoubleArrayAhoCorasick(words, match_kind=daachorse.MATCH_KIND_STANDARD)
    return automaton, [w in roles for w in words], [titles.get(w, -1) for w in words]


def _leftmost_longest(hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Of all occurrences (start, end, value) of a dictionary's words, the ones a leftmost-longest
    search reports: the longest word at the leftmost start, then on from its end.  One
    overlapping pass can so serve several dictionaries."""
    longest: dict[int, tuple[int, int]] = {}
    for s, e, value in hits:
        best = longest.get(s)
        if best is None or e > best[0]:
            longest[s] = (e, value)
    out: list[tuple[int, int, int]] = []
    pos = 0
    for s in sorted(longest):
        if s >= pos:
            e, value = longest[s]
            out.append((s, e, value))
            pos = e
    return out


def _authors(text: str, lex: Lexicon) -> list[_Mention]:
    """Op-ed authors: "（作者为…）", "作者：X", or a bare name alone on a line near the top
    (the byline under a commentary's headline)."""
    out: list[_Mention] = []
    if "作者" not in text and "文" not in text[:_AUTHOR_LINE_WINDOW] and "\n" not in text[:_AUTHOR_LINE_WINDOW]:
        return out
    author = _compiled().author
    # bylines stand near the top; "（作者为…）" may close the piece anywhere
    head_end = text.find("\n", _AUTHOR_LINE_WINDOW)
    hits = list(author.finditer(text, 0, head_end if head_end >= 0 else len(text)))
    if "作者" in text[_AUTHOR_LINE_WINDOW - 20 :]:
        hits += [
            m for m in author.finditer(text, max(0, _AUTHOR_LINE_WINDOW - 20))
            if m.group(1) and m.start() >= _AUTHOR_LINE_WINDOW - 20
        ]
    for m in hits:
        grp = 1 if m.group(1) else 2 if m.group(2) else 3
        name = m.group(grp)
        s, e = m.span(grp)
        if grp == 3 and s > _AUTHOR_LINE_WINDOW:
            continue  # a bare short line deep in the text is a heading or caption, not a byline
        if not _plausible_name(name, lex) or name in lex.known:
            continue
        if _is_reporter(text, s, e, lex):
            continue
        out.append(_Mention(s, e, "person", name, "person"))
    return out


_CJK_ONLY: Final = re.compile(r"[\u4e00-\u9fff]+")


def _plausible_name(name: str, lex: Lexicon) -> bool:
    """Stricter than _valid_person, for names found without a preceding role: no title or
    organisation characters ("公司副" in 公司副总经理), no common word as its first two characters."""
    if "·" in name:  # 艾尔肯·吐尔逊: a transliterated name, two parts of 2–5 characters
        return all(2 <= len(p) <= 5 and _CJK_ONLY.fullmatch(p) for p in name.split("·")) and name.count("·") == 1
    if not _valid_person(name, lex) or any(c in lex.not_name_final for c in name[1:]):
        return False
    head = name[:2]
    if head in lex.title_modifiers:
        return False  # "常务副市长": 常务 is part of the title
    return head not in lex.not_entities and head not in lex.leading_words and head not in lex.generic_set


def _valid_person(name: str, lex: Lexicon) -> bool:
    if not (2 <= len(name) <= 4) or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    if name[:2] in lex.surnames and len(name) >= 3:
        return True
    if name[0] not in lex.surnames:
        return False
    return name not in lex.regions and name not in lex.not_entities and name not in lex.leading_words
