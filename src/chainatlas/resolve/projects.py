"""Which project names say which project it is (the store's project identity, the board's names).

"园区重大产业项目", "该项目", "一批重点项目" name no particular project: reports using them must not
become one project across articles (at 30,000 articles one such name had gathered 5,890 reports of
unrelated projects).  The store keys such a report by investor + place, else by the article;
the board shows a derived name instead.  One rule for both, here, upstream of store and analysis.
"""

from __future__ import annotations

import re
from typing import Final

_PHASE: Final = re.compile(r"[（(]?[一二三四五六七八九十\d]+期(?:工程)?[）)]?")
_TAIL: Final = re.compile(r"(?:工程|项目)+$")
_GENERIC_NAME_PARTS: Final = ("重大", "重点", "产业", "园区", "该", "此", "这个", "这一", "上述", "新", "大", "一批",
                              "相关", "建设", "工程", "合作", "签约", "开工", "投资")
_PARTS_LONGEST_FIRST: Final = tuple(sorted(_GENERIC_NAME_PARTS, key=len, reverse=True))


def is_generic_name(name: str | None) -> bool:
    """"项目", "该项目", "园区重大产业项目": a name that says nothing about which project it is."""
    if not name:
        return True
    core = _TAIL.sub("", _PHASE.sub("", name)).strip()
    for part in _PARTS_LONGEST_FIRST:
        core = core.replace(part, "")
    return len(core) < 2
