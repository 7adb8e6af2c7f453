"""Numbers and quantities in Chinese news text.

Two layers:

* ``parse_number`` turns one numeral (Arabic with separators, full-width digits,
  Chinese numerals, mixed ``1.2万``) into a float;
* ``scan_quantities`` runs ONE compiled regex over a whole text and returns every
  number-with-unit (``5.1万亿元``, ``超200家``, ``3-5亿元``, ``百分之十五``, ``七成``),
  already normalised to the base unit and filtered of the syntactic non-quantities
  (ordinals, vague amounts, durations, unit definitions, enumeration counts).

``parse_quantity`` is the single-expression form of the scanner.  Units and qualifier
words live in ``data/lexicons/units.yaml`` and ``indicators.yaml``; this module holds
only the grammar.  Arithmetic is done in ``Decimal`` so that 21.61亿 is exactly 2161000000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, Final, cast

import yaml

from chainatlas.extract.wordre import word_alternation

# Memoised helpers below keep their values in plain dicts (bounded: dropped whole when full;
# a value never changes) and loaders in one-element lists, not behind functools.lru_cache:
# compiled, a call through an lru_cache wrapper is a generic Python call, and these are
# called hundreds of times per article (≈5 % of extraction time went to the wrappers).
_MISS: Final = object()  # "not memoised yet" (None may be a memoised value)

LEXICON_PACKAGE: Final = "chainatlas.data.lexicons"

_FULLWIDTH: Final = str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")
_CN_DIGITS: Final = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL_SCALES: Final = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_DIGIT_CHARS: Final = "".join(_CN_DIGITS)
_SCALE_CHARS: Final = "十拾百佰千仟万亿"
# A lone scale word as the whole numeral of an amount (亿元, 万元) is a number the page lost.
_STRIPPED_SCALES: Final = frozenset({"亿", "万", "万亿", "仟"})
_ALL_DIGITS: Final = frozenset("0123456789０１２３４５６７８９")
_ARABIC_RE: Final = re.compile(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|\.[0-9]+")


class LexiconError(ValueError):
    """A vocabulary file is missing a key or has a value of the wrong shape."""


def load_lexicon(name: str) -> dict[str, Any]:
    """Read ``data/lexicons/<name>`` (YAML) as a mapping; errors name the file."""
    try:
        text = resources.files(LEXICON_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LexiconError(f"{name}: lexicon file not found") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{name}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: top level must be a mapping")
    return data


def require_str_list(data: dict[str, Any], key: str, file: str) -> list[str]:
    """Fetch ``data[key]`` as a non-empty list of strings or raise naming file and key."""
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise LexiconError(f"{file}: key {key!r} must be a non-empty list of strings")
    return value


# --------------------------------------------------------------------------- numerals


def _to_decimal_arabic(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def _parse_section(s: str) -> Decimal | None:
    """Value of a numeral below 万 (may hold an Arabic part: ``3千``, ``二百五十``)."""
    if "点" in s:  # 三点五: integer part + decimal digits read one by one
        head, _, tail = s.partition("点")
        int_part = _parse_section(head) if head else Decimal(0)
        if int_part is None or not tail or any(c not in _CN_DIGITS for c in tail):
            return None
        return int_part + Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in tail))
    total = Decimal(0)
    current: Decimal | None = None
    i = 0
    while i < len(s):
        ch = s[i]
        m = _ARABIC_RE.match(s, i)
        if m:
            if current is not None:
                return None
            current = _to_decimal_arabic(m.group())
            i = m.end()
            continue
        if ch in "零〇○":
            if len(s) == 1:
                current = Decimal(0)
        elif ch in _CN_DIGITS:
            if current is not None:
                return None  # 一一, 二三: not a numeral (years like 二〇二三 are never quantities)
            current = Decimal(_CN_DIGITS[ch])
        elif ch in _CN_SMALL_SCALES:
            total += (current if current is not None else Decimal(1)) * _CN_SMALL_SCALES[ch]
            current = None
        else:
            return None
        i += 1
    if current is not None:
        total += current
    return total


_PLAIN_RE: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_MARKS: Final = (("亿", Decimal(10) ** 8), ("万", Decimal(10) ** 4))


_PARSE_DECIMAL_MEMO: Final[dict[str, Decimal | None]] = {}


def _parse_decimal(s: str) -> Decimal | None:
    """Recursive split on 亿 then 万, so 5.1万亿 = (5.1万)×1e8 and 3亿5000万 works."""
    memo_key = s
    hit = _PARSE_DECIMAL_MEMO.get(memo_key, _MISS)
    if hit is not _MISS:
        return cast("Decimal | None", hit)
    value = _parse_decimal_uncached(s)
    if len(_PARSE_DECIMAL_MEMO) >= 8192:
        _PARSE_DECIMAL_MEMO.clear()
    _PARSE_DECIMAL_MEMO[memo_key] = value
    return value


def _parse_decimal_uncached(s: str) -> Decimal | None:
    if not s:
        return None
    if _PLAIN_RE.fullmatch(s):  # most numerals: plain digits
        return Decimal(s)
    for mark, scale in _MARKS:
        if mark in s:
            left, _, right = s.partition(mark)
            lv = _parse_decimal(left) if left else Decimal(1)
            rv = _parse_decimal(right) if right else Decimal(0)
            if lv is None or rv is None:
                return None
            return lv * scale + rv
    return _parse_section(s)


def normalize_digits(s: str) -> str:
    """Full-width digits and signs to ASCII (the cleaner does it too; raw input may not be clean)."""
    return s.translate(_FULLWIDTH)


def parse_number(s: str) -> float | None:
    """The value of one numeral, or None if ``s`` is not a numeral.

    Handles 1,234.5 / ５.１ / 两百 / 三千余 / 1.2万 / 5.1万亿 / 千亿 / 百分之十五 (→15) /
    七成 (→70).  Approximation words (余, 多, 约, 超...) are ignored here.
    """
    if not isinstance(s, str):
        raise TypeError(f"parse_number expects str, got {type(s).__name__}")
    t = normalize_digits(s).strip()
    if not t:
        return None
    for word in _vocab().approx_prefixes:
        if t.startswith(word) and len(t) > len(word):
            t = t[len(word):]
            break
    t = t.rstrip("余多来")
    if t.startswith("百分之"):
        return parse_number(t[3:])
    if t.endswith("成") and len(t) > 1:
        v = parse_number(t[:-1])
        return None if v is None else v * 10
    neg = t.startswith("-")
    if neg:
        t = t[1:]
    value = _parse_decimal(t)
    if value is None:
        return None
    return float(-value if neg else value)


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class UnitInfo:
    surface: str
    base: str
    factor: Decimal
    kind: str
    blocked_after: tuple[str, ...]
    max_value: float | None
    small_chinese_ok: bool = False
    needs_before: tuple[str, ...] = ()  # 度 is kWh only after 电/发电/用电 … (else a temperature, an angle)


@dataclass(frozen=True, slots=True)
class _Vocab:
    units: dict[str, UnitInfo]
    approx_prefixes: tuple[str, ...]
    approx_infixes: tuple[str, ...]
    approx_suffixes: tuple[str, ...]
    range_separators: tuple[str, ...]
    vague_prefixes: tuple[str, ...]
    definition_followers: tuple[str, ...]
    small_chinese_count_max: float
    small_max: Decimal
    per_unit_markers: tuple[str, ...]  # 每万吨, 每千瓦时: a per-unit denominator, not a quantity
    class_followers: tuple[str, ...]  # 万吨级, 千亿元级: a size class after any quantity
    category_followers: tuple[str, ...]  # 超亿元|项目: an unspecific size naming a category
    bin_followers: tuple[str, ...] = ()  # 5亿元|以下项目: the upper edge of a size bin
    rank_units: frozenset[str] = frozenset()  # 位, 名: a place in a ranking after ``rank_before``
    rank_before: re.Pattern[str] | None = None  # 前进了35位, 上升5位, 前50名: a rank, not a count


_KINDS: Final = {"amount", "count", "rate", "growth", "share", "area", "weight", "compute", "other"}


_VOCAB_SLOT: Final[list[_Vocab]] = []


def _vocab() -> _Vocab:
    if not _VOCAB_SLOT:  # built once per process
        _VOCAB_SLOT.append(_vocab_uncached())
    return _VOCAB_SLOT[0]


def _vocab_uncached() -> _Vocab:
    raw_units = load_lexicon("units.yaml").get("units")  # (the file is read again below: small, once)
    if not isinstance(raw_units, dict) or not raw_units:
        raise LexiconError("units.yaml: key 'units' must be a non-empty mapping")
    units: dict[str, UnitInfo] = {}
    for surface, spec in raw_units.items():
        where = f"units.yaml: units.{surface}"
        if not isinstance(spec, dict) or not isinstance(spec.get("base"), str):
            raise LexiconError(f"{where}: needs a 'base' string")
        kind = spec.get("kind")
        if kind not in _KINDS:
            raise LexiconError(f"{where}: kind {kind!r} not in {sorted(_KINDS)}")
        factor = spec.get("factor", 1)
        if not isinstance(factor, (int, float)) or factor <= 0:
            raise LexiconError(f"{where}: factor must be a positive number")
        blocked = spec.get("blocked_after", [])
        if not isinstance(blocked, list) or not all(isinstance(b, str) and b for b in blocked):
            raise LexiconError(f"{where}: blocked_after must be a list of strings")
        max_value = spec.get("max_value")
        if max_value is not None and not isinstance(max_value, (int, float)):
            raise LexiconError(f"{where}: max_value must be a number")
        small_ok = spec.get("small_chinese_ok", False)
        if not isinstance(small_ok, bool):
            raise LexiconError(f"{where}: small_chinese_ok must be true or false")
        needs = spec.get("needs_before", [])
        if not isinstance(needs, list) or not all(isinstance(b, str) and b for b in needs):
            raise LexiconError(f"{where}: needs_before must be a list of strings")
        units[str(surface)] = UnitInfo(
            str(surface), spec["base"], Decimal(str(factor)), kind, tuple(blocked), max_value, small_ok,
            tuple(needs),
        )
    lex = load_lexicon("units.yaml")
    ind = load_lexicon("indicators.yaml")
    small_max = ind.get("small_chinese_count_max", 10)
    if not isinstance(small_max, (int, float)):
        raise LexiconError("indicators.yaml: key 'small_chinese_count_max' must be a number")
    return _Vocab(
        units=units,
        approx_prefixes=tuple(require_str_list(ind, "approx_prefixes", "indicators.yaml")),
        approx_infixes=tuple(require_str_list(ind, "approx_infixes", "indicators.yaml")),
        approx_suffixes=tuple(require_str_list(ind, "approx_suffixes", "indicators.yaml")),
        range_separators=tuple(require_str_list(ind, "range_separators", "indicators.yaml")),
        vague_prefixes=tuple(require_str_list(ind, "vague_prefixes", "indicators.yaml")),
        definition_followers=tuple(require_str_list(ind, "definition_followers", "indicators.yaml")),
        small_chinese_count_max=float(small_max),
        small_max=Decimal(str(small_max)),
        per_unit_markers=tuple(require_str_list(lex, "per_unit_markers", "units.yaml")),
        class_followers=tuple(require_str_list(lex, "class_followers", "units.yaml")),
        category_followers=tuple(require_str_list(lex, "category_followers", "units.yaml")),
        bin_followers=tuple(require_str_list(lex, "bin_followers", "units.yaml")),
        rank_units=frozenset(require_str_list(lex, "rank_units", "units.yaml")),
        rank_before=re.compile(
            "(?:" + _alternation(require_str_list(lex, "rank_change_words", "units.yaml")) + ")了?(?:整整|足足|共)?$"
            "|(?<![目此之以提当日年月])前$"  # (目前3名, 此前5位: time words, a count follows)
        ),
    )


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    return word_alternation(words)  # longest first, factored into a prefix tree


def _unit_guard(u: UnitInfo) -> str:
    """What may not follow a unit: a Latin unit no letter or digit (kW, not kWp), a Chinese one
    none of its ``blocked_after`` words (元 not in 元器件)."""
    if u.surface.isascii() and u.surface[-1:].isalpha():
        return r"(?![A-Za-z0-9])"
    if u.blocked_after:
        return "(?!" + _alternation(list(u.blocked_after)) + ")"
    return ""


_QUANTITY_REGEX_SLOT: Final[list[re.Pattern[str]]] = []


def quantity_regex() -> re.Pattern[str]:
    """The single scanner: qualifier? sign? numeral (range)? infix? unit suffix?."""
    if not _QUANTITY_REGEX_SLOT:  # built once per process
        _QUANTITY_REGEX_SLOT.append(quantity_regex_uncached())
    return _QUANTITY_REGEX_SLOT[0]


def quantity_regex_uncached() -> re.Pattern[str]:
    v = _vocab()
    units = sorted(v.units.values(), key=lambda u: len(u.surface), reverse=True)
    unit_alt = word_alternation([u.surface for u in units], guards={u.surface: _unit_guard(u) for u in units})
    # Digit runs are possessive (never given back) where nothing that may follow a numeral can
    # start with a digit: backtracking into "2023" of 2023年 could then never find a match.
    after = [u.surface for u in units] + list(v.range_separators) + list(v.approx_infixes)
    run = "++" if not any(w[:1] in _ALL_DIGITS for w in after) else "+"
    # "约89 .4亿元", "约70 32亿元": a number the page broke with a stray space is read as meant
    # (one space before the decimal point, or a group of two or three digits after one space)
    arabic = rf"[0-9０-９]{run}(?:,[0-9]{{3}})*(?: [0-9]{{2,3}}(?![0-9]))?(?: ?[.．][0-9０-９]{run})?"
    scale = r"(?:[十百万亿]|千(?!米|克|瓦))"
    # 十二点六亿: the decimal digits may carry a scale word (万/亿) too
    cn = rf"(?:[{_CN_DIGIT_CHARS}十拾百佰仟万亿]|千(?!米|克|瓦))+(?:点[{_CN_DIGIT_CHARS}]+[万亿]*)?"
    # "3.5 亿元": a stray space before the scale; "30亿8000万元": 亿 followed by a count of 万
    num = rf"(?:{arabic}(?:[ \u3000]?{scale}+(?:(?<=亿)[0-9]{{1,4}}万)?)?|{cn})"
    lookbehind = rf"(?<![A-Za-z0-9０-９.．第{_CN_DIGIT_CHARS}十拾百佰千仟万亿])"
    # A lookahead on every character a quantity can start with lets the engine reject
    # most positions with one set test instead of trying each alternative (≈4× faster).
    starts = set("0123456789０１２３４５６７８９-−－人百一") | set(_CN_DIGIT_CHARS) | set(_SCALE_CHARS)
    starts |= set(_CN_SMALL_SCALES) | {w[0] for w in v.approx_prefixes}
    first = "".join(sorted(starts)).replace("-", "") + "-"  # '-' last: literal in the set
    # the unit alternation only starts where a unit can: one set test instead of ~100 branches
    unit_first = "".join(sorted({re.escape(u.surface[0]) for u in units}))
    pattern = (
        rf"(?=[{first}])"
        rf"{lookbehind}"
        rf"(?P<pre>{_alternation(v.approx_prefixes)})?"
        r"(?:人民币)?"
        r"(?P<neg>[-−－](?=[0-9０-９]))?"
        r"(?:"
        rf"百分之(?P<pctnum>{num})"
        r"|"
        r"(?P<half>一半)"  # 超过一半 → 50 % (kept only with a qualifier)
        r"|"
        # one numeral, read once: a fraction's denominator (三分之一 → 33.3 %) or a quantity
        rf"(?P<num>{num})"
        r"(?:"
        rf"分之(?P<fnum>{num})"
        r"|"
        rf"(?:\s?(?P<rsep>{_alternation(v.range_separators)})\s?(?P<pre2>{_alternation(v.approx_prefixes)})?(?P<num2>{num}))?"
        rf"(?P<inf>{_alternation(v.approx_infixes)})?"
        r"[ \u3000]?"  # "3534 万欧元": a stray space before the unit
        rf"(?=[{unit_first}])(?P<unit>{unit_alt})"
        r")"
        r")"
        rf"(?P<suf>{_alternation(v.approx_suffixes)})?"
    )
    return re.compile(pattern)


# --------------------------------------------------------------------------- quantities

_PERCENT: Final = UnitInfo("%", "%", Decimal(1), "rate", (), None)


@dataclass(frozen=True, slots=True, init=False)
class Quantity:
    """A number with its unit, in base units (亿元 → 元 ×1e8)."""

    value: float
    unit: str
    approx: bool
    upper: float | None
    raw: str

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python.  Frozen: fields are set through object.
    def __init__(self, value: float, unit: str, approx: bool, upper: float | None, raw: str) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "approx", approx)
        object.__setattr__(self, "upper", upper)
        object.__setattr__(self, "raw", raw)


@dataclass(frozen=True, slots=True)
class FoundQuantity:
    """A quantity located in a text; ``num_start`` is where the numeral itself starts."""

    start: int
    end: int
    num_start: int
    quantity: Quantity
    kind: str
    chinese: bool  # numeral written in Chinese characters only


def _numeral(s: str) -> str:
    if s.isascii():
        return s.replace(" ", "")
    return normalize_digits(s).replace(" ", "").replace("\u3000", "")


def _bare_scale(s: str) -> bool:
    """百 / 千亿 / 百万: scale words with no digit, idiomatic unless clearly a quantity."""
    return all(c in _SCALE_CHARS for c in s)


def _trailing_scale(s: str) -> str:
    i = len(s)
    while i > 0 and s[i - 1] in _SCALE_CHARS:
        i -= 1
    return s[i:]


@dataclass(slots=True, init=False)
class _Template:
    """What a matched string means, independent of where it stands (cached by string)."""

    quantity: Quantity
    kind: str
    chinese: bool
    num_offset: int  # numeral start - match start
    vague_check: bool  # a Chinese numeral without qualifier: 数十/几百 before it voids it
    rounded: float  # round(value, 6): the value as a de-duplication key, computed once
    void_after: tuple[str, ...]  # words that, right after the match, make it no quantity
    needs_before: tuple[str, ...]  # one of these must stand shortly before it (the unit's)

    # An explicit __init__ (init=False): compiled with mypyc it runs natively, where the
    # dataclass-generated one stays interpreted Python; it takes exactly the fields' arguments.
    def __init__(
        self, quantity: Quantity, kind: str, chinese: bool, num_offset: int, vague_check: bool,
        rounded: float, void_after: tuple[str, ...], needs_before: tuple[str, ...],
    ) -> None:
        self.quantity = quantity
        self.kind = kind
        self.chinese = chinese
        self.num_offset = num_offset
        self.vague_check = vague_check
        self.rounded = rounded
        self.void_after = void_after
        self.needs_before = needs_before


_NO_QUANTITY: Final = object()


_GROUPS: Final = ("pre", "neg", "pctnum", "half", "num", "fnum", "num2", "pre2", "inf", "unit", "suf")
_DIGIT_RE: Final = re.compile(r"[0-9０-９]")


def _template(m: re.Match[str]) -> _Template | None:
    """The context-free reading of one match: value, unit, qualifiers, and the syntactic
    rejections that depend on the matched string alone."""
    v = _vocab()
    pre, neg, pctnum, half, num, fnum, num2, pre2, inf, unit_s, suf = m.group(*_GROUPS)
    if pctnum is not None:
        numeral = pctnum
        value = _parse_decimal(_numeral(numeral))
        if value is None:
            return None
        unit = _PERCENT
        upper_dec = None
        num_start = m.start("pctnum") - 3
    elif fnum is not None:
        numeral = fnum
        den, part = _parse_decimal(_numeral(num)), _parse_decimal(_numeral(numeral))
        if not den or part is None or part > den:
            return None
        value = (part * 100 / den).quantize(_CENT)
        unit = _PERCENT
        upper_dec = None
        num_start = m.start("num")
    elif half is not None:
        if not pre and suf not in ("以上", "多"):
            return None  # 一半时间, 一半以上? only 超过一半 / 近一半 are shares
        numeral = "半"
        value = Decimal(50)
        unit = _PERCENT
        upper_dec = None
        num_start = m.start("half")
    else:
        numeral = num
        unit = v.units[unit_s]
        n1 = _numeral(numeral)
        if num2 is not None:
            n2 = _numeral(num2)
            if not _trailing_scale(n1) and _trailing_scale(n2):
                n1 = n1 + _trailing_scale(n2)
            upper_raw = _parse_decimal(n2)
            if upper_raw is None:
                return None
            upper_dec = upper_raw * unit.factor
        else:
            upper_dec = None
        value = _parse_decimal(n1)
        if value is None:
            return None
        num_start = m.start("num")
        if unit.max_value is not None and value > unit.max_value:
            return None
    value = value * unit.factor
    if neg:
        value = -value
    chinese = _DIGIT_RE.search(numeral) is None
    # --- syntactic non-quantities
    if chinese:
        bare = _bare_scale(numeral)
        if bare and not pre and not inf and not suf and unit.kind not in ("amount", "weight", "area"):
            return None  # 百家争鸣; but 十余家, 百余家 are counts
        if bare and suf == "以上" and unit.kind == "amount":
            return None  # 亿元以上项目: a size class, not an amount
        if numeral in _STRIPPED_SCALES and not pre and not inf and not suf and unit.kind == "amount":
            return None  # 总投资亿元, 总市值达亿港元: the site stripped the digits; nobody writes 1亿 so
        if unit.base == "元" and unit.factor == 1 and len(numeral) == 1 and numeral not in _SCALE_CHARS:
            return None  # 三元前驱体, 二元结构, 多元: a bare single Chinese digit + 元 is no sum in this register
        small = abs(value) < v.small_max
        if small and unit.kind not in ("amount", "rate") and not unit.small_chinese_ok:
            return None
    elif numeral[0] in "0０" and len(numeral) > 1 and numeral[1:2].isdigit():
        return None  # zero-padded codes (007号) are not quantities
    approx = bool(pre or suf or inf or (pre2 if pctnum is None else None))
    fvalue = float(value)
    q = Quantity(fvalue, unit.base, approx, None if upper_dec is None else float(upper_dec), m.group())
    void_after = v.definition_followers + v.class_followers
    if unit.kind == "amount" and (pre or suf or chinese and numeral[0] != "十" and _bare_scale(numeral)):
        # 超亿元项目, 亿元项目, 超10亿元产业项目: a category (but 引进十亿元项目: one project's size)
        void_after += v.category_followers
    elif unit.kind == "amount" and upper_dec is not None:
        void_after += v.category_followers  # 5亿至10亿元项目9个: a size bin, only its count counts
    if unit.kind == "amount":
        void_after += v.bin_followers
    return _Template(
        q, unit.kind, chinese, num_start - m.start(), chinese and not pre, round(fvalue, 6), void_after,
        unit.needs_before,
    )


_CENT: Final = Decimal("0.01")


_TEMPLATES: Final[dict[str, _Template | None]] = {}
_TEMPLATE_LIMIT: Final = 50000


def _cached_template(m: re.Match[str]) -> _Template | None:
    key = m.group()
    tpl = _TEMPLATES.get(key, _NO_QUANTITY)
    if tpl is _NO_QUANTITY:
        tpl = _template(m)
        if len(_TEMPLATES) >= _TEMPLATE_LIMIT:
            _TEMPLATES.clear()
        _TEMPLATES[key] = tpl
    return tpl  # type: ignore[return-value]


# After a qualified amount and 的: a kind of project or firm, then its count (…的重点工业项目 160个)
_CLASS_COUNTED: Final = re.compile(
    r"[\u4e00-\u9fff]{0,6}?(?:项目|企业|公司)\s*(?:有|达到|达|共|超过|超)?\s*[0-9０-９一二三四五六七八九十百两]+\s*[个家项]"
)
# Characters that make a following 约 the end of a word (签约, 合约, 节约…), not "about".
_YUE_WORD_HEADS: Final = frozenset("签合预制节公条契特履违解续邀集践赴租盟立誓爽")
_CONTEXT_WINDOW: Final = 10  # characters before a quantity searched for its unit's ``needs_before`` words


def scan_spans(text: str) -> list[tuple[int, int, _Template]]:
    """Every quantity in ``text`` as (start, end, template), in order of appearance: the
    scanner without building a record per number (``extract_metrics`` reads these)."""
    out: list[tuple[int, int, _Template]] = []
    v = _vocab()
    vague, per_unit = v.vague_prefixes, v.per_unit_markers
    rank_units, rank_before = v.rank_units, v.rank_before
    templates = _TEMPLATES
    rx = quantity_regex()
    for m in rx.finditer(text):
        start = m.start()
        if start and text[start] == "约" and text[start - 1] in _YUE_WORD_HEADS:
            # 签约17个项目, 节约30%: 约 ends a word here, it is no "about"; read what follows alone
            m2 = rx.match(text, start + 1)
            if m2 is None:
                continue
            m = m2
        cached = templates.get(m.group(), _NO_QUANTITY)
        tpl = _cached_template(m) if cached is _NO_QUANTITY else cast("_Template | None", cached)
        if tpl is None:
            continue
        start, end = m.span()
        if text.startswith(tpl.void_after, end):
            continue  # 1P相当于… (a unit definition), 万吨级 (a class), 超亿元项目 (a category)
        if end < len(text) and text[end] == "的" and "项目" in tpl.void_after and _CLASS_COUNTED.match(text, end + 1):
            continue  # 投资超千万元的重点工业项目160个, 产值超百亿的链主企业达15家: a class that is counted
        if start and text.endswith(per_unit, max(0, start - 2), start):
            continue  # 每万吨, 每100元: a per-unit denominator
        if tpl.quantity.unit in rank_units and rank_before is not None \
                and rank_before.search(text, max(0, start - 8), start) is not None:
            continue  # 前进了35位, 上升5位, 综合评价前50名: a place in a ranking or its change
        if tpl.vague_check:
            num_start = start + tpl.num_offset
            if text.endswith(vague, max(0, num_start - 2), num_start):
                continue  # 数十亿元: vague
        if tpl.needs_before:
            window = text[max(0, start - _CONTEXT_WINDOW):start]
            if not any(w in window for w in tpl.needs_before) and not text.startswith(tpl.needs_before, end):
                continue  # 35度 of a temperature: 度 is kWh only where electricity is named
        out.append((start, end, tpl))
    return out


def _fits_context(text: str, start: int, end: int, tpl: _Template) -> bool:
    """The checks of ``scan_spans`` that look around a match (for a whole-string match, which
    has nothing before it: a unit needing context words is taken as meant)."""
    v = _vocab()
    if text.startswith(tpl.void_after, end):
        return False
    num_start = start + tpl.num_offset
    return not (tpl.vague_check and text.endswith(v.vague_prefixes, max(0, num_start - 2), num_start))


def _found(start: int, end: int, tpl: _Template) -> FoundQuantity:
    return FoundQuantity(start, end, start + tpl.num_offset, tpl.quantity, tpl.kind, tpl.chinese)


def scan_quantities(text: str) -> list[FoundQuantity]:
    """Every quantity in ``text`` (one regex pass), in order of appearance."""
    if not isinstance(text, str):
        raise TypeError(f"scan_quantities expects str, got {type(text).__name__}")
    return [_found(s, e, t) for s, e, t in scan_spans(text)]


def parse_quantity(raw: str) -> Quantity | None:
    """The quantity written in ``raw`` (the whole string), or None.

    ``parse_quantity("21.61亿美元")`` → Quantity(2.161e9, "美元", ...);
    ``parse_quantity("2023年")`` → None.
    """
    if not isinstance(raw, str):
        raise TypeError(f"parse_quantity expects str, got {type(raw).__name__}")
    text = normalize_digits(raw.strip())
    sign = 1.0
    lead = _lead_regex().match(text)
    if lead is not None and lead.end() < len(text):
        if lead.group("decline"):
            sign = -1.0
        text = text[lead.end():]
    if not text:
        return None
    m = quantity_regex().fullmatch(text)
    if m is None:
        return None
    tpl = _cached_template(m)
    if tpl is None or not _fits_context(text, 0, len(text), tpl):
        return None
    q = tpl.quantity
    upper = None if q.upper is None else q.upper * sign
    return Quantity(q.value * sign, q.unit, q.approx, upper, raw)


_LEAD_REGEX_SLOT: Final[list[re.Pattern[str]]] = []


def _lead_regex() -> re.Pattern[str]:
    """Words a caller may leave in front of a quantity: a change verb or a per-unit 每X."""
    if not _LEAD_REGEX_SLOT:  # built once per process
        _LEAD_REGEX_SLOT.append(_lead_regex_uncached())
    return _LEAD_REGEX_SLOT[0]


def _lead_regex_uncached() -> re.Pattern[str]:
    ind = load_lexicon("indicators.yaml")
    growth = require_str_list(ind, "growth_words", "indicators.yaml")
    decline = require_str_list(ind, "decline_words", "indicators.yaml")
    return re.compile(
        rf"(?:(?P<decline>{_alternation(decline)})|(?:{_alternation(growth)}))了?"
        r"|每[\u4e00-\u9fff]{1,2}?(?=[0-9约近超逾一二两三四五六七八九十百千])"
    )


def quantity_kind(unit: str) -> str | None:
    """Kind (amount/count/rate/...) of a base unit, for callers holding only a Quantity."""
    for u in _vocab().units.values():
        if u.base == unit:
            return u.kind
    return None
