"""Investment and construction projects, with their stage, investor, place and amount.

A project is an event read from one sentence and its neighbours: a stage trigger (签约,
开工, 竣工, 投产…; ``project_triggers``), its arguments — a name (noun phrase ending in
项目/工厂/基地/中心...), the investor (company/institution, also the company opening the
name), the place (park/region) and the investment figure (总投资3.76亿元) —
(``project_arguments``; an event's enumerated items via ``project_lists``, table-like lines
via ``project_tables``), and the merge of repeats (``project_merge``). Batches (34个优质项目…
签约, 签约项目210个) become one ``aggregate`` project that carries the count and the total.
``merge_project_reports`` then joins the reports of one real project across articles into a
stage timeline, which is what pipeline analyses are built on.

This module runs the stages over an article's sentences (``extract_projects``) and keeps
the public names importable from here.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

from chainatlas.extract.entity_base import _is_generic
from chainatlas.extract.lexicon import load_lexicon
from chainatlas.extract.metrics import find_date, find_dates
from chainatlas.extract.project_arguments import (
    _COMMON_TAGS,
    _COUNT_UNITS,
    _ITEM_PARK,
    _MONEY_UNITS,
    _SIZE_HEAD,
    _amount,
    _any_in,
    _ArticleIndex,
    _batch_count,
    _brand_investor,
    _clean_name_with,
    _coined_pair_before_capacity,
    _entity_in_name,
    _has_name_end,
    _item_investor,
    _listed_opening,
    _money_in,
    _Name,
    _names,
    _nearest,
    _pick_investor,
    _pick_location,
    _prefer_park,
    _specific,
    _strong_headed_opening,
    _subject_brand,
    _tokens,
    clause_brand,
    glued_place,
    item_brand,
)
from chainatlas.extract.project_lists import item_company, list_items, names_a_project, other_list_item
from chainatlas.extract.project_merge import (
    _ASIDE,
    ProjectEvent,
    ProjectTimeline,
    _core,
    _drop_headline_repeats,
    _fill,
    _Found,
    _match,
    merge_project_reports,
)
from chainatlas.extract.project_parties import (
    _FIRMS_THEN_SIGN,
    _PARTIES_SIGN,
    _PARTY_SIGNING,
    _party_signings,
    _signing_parties,
    _usable,
)
from chainatlas.extract.project_rolls import (
    _ITEM_PROJECT_ENDS,
    _comma_roll,
    _complete_roll,
    _enumerated_sentences,
    _named_roll,
)
from chainatlas.extract.project_tables import Cell, Row, header_amount, table_rows
from chainatlas.extract.project_triggers import (
    _CLAUSE_STOP,
    _best,
    _best_stage,
    _last_end,
    _next_context,
    _planned_figure,
    _ProjectVocab,
    _pv,
    _Trigger,
    _triggers,
    stage_rank,
)
from chainatlas.extract.sentences import split_clauses, split_sentences
from chainatlas.model import Amount, Entity, Metric, Project

__all__ = ["ProjectEvent", "ProjectTimeline", "extract_projects", "merge_project_reports", "stage_rank"]


def extract_projects(
    text: str, entities: list[Entity], metrics: list[Metric], published: str | None
) -> list[Project]:
    """Projects reported in ``text``: one per named project/investor, plus batch aggregates.

    A repeat of a project already read from the article (the headline restating the
    body, or a shortened name) is merged into it, keeping the most advanced *real* stage
    (by trigger priority, so 签约 beats a later 落地 and a future 投产 counts as 在建).
    A named project with an investment figure but no stage word of its own takes the
    stage the article is reporting (其中，X公司将投资12亿元建设Y基地 in a signing report).
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_projects expects str text, got {type(text).__name__}")
    v = _pv()
    money = sorted((m for m in metrics if m.unit in _MONEY_UNITS), key=lambda m: m.span[0])
    if "投资" in text:
        bare = _bare_investments(text, money)
        if bare:
            money = sorted(money + bare, key=lambda m: m.span[0])
    money_starts = [m.span[0] for m in money]
    counts = [m for m in metrics if m.unit in _COUNT_UNITS]
    found: list[_Found] = []
    last_named: _Found | None = None
    last_named_at = -10  # sentence number where last_named was last mentioned
    named_in: dict[int, int] = {}  # sentence number → new projects named in it (A和B顺利投产: 2)
    context: _Trigger | None = None  # the stage the article is reporting so far
    idx: _ArticleIndex | None = None
    # X公司…举行开工仪式 in a sentence naming no project: (sentence, company, the event's trigger)
    ceremony: tuple[int, str, _Trigger] | None = None
    sentences = split_sentences(text)
    # one pass for stage words and one for investment figures, bucketed by sentence:
    # most sentences have neither and are never looked at again
    busy: dict[int, tuple[list[_Trigger], list[Metric]]] = {}
    sent_starts = [a for a, _ in sentences]
    for t in _triggers(text, 0, len(text)):
        si = bisect.bisect_right(sent_starts, t.start) - 1
        if si >= 0 and t.end <= sentences[si][1]:
            busy.setdefault(si, ([], []))[0].append(t)
    for m in _money_in(text, money, money_starts, 0, len(text), sentences, sent_starts):
        si = bisect.bisect_right(sent_starts, m.span[0]) - 1
        busy.setdefault(si, ([], []))[1].append(m)
    k = text.find("由")
    while k >= 0:  # X项目由Y公司投资建设。: an investor stated with neither stage word nor figure
        si = bisect.bisect_right(sent_starts, k) - 1
        if si >= 0 and si not in busy and _AGENT_VERB.search(text, k, min(sentences[si][1], k + 64)):
            busy[si] = ([], [])
        k = text.find("由", k + 1)
    if "公司" in text or "集团" in text:
        for w in _OWNED_CLAUSE.finditer(text):  # A公司的X项目，将…: a firm's project heading its clause
            si = bisect.bisect_right(sent_starts, w.start()) - 1
            if si >= 0 and si not in busy:
                busy[si] = ([], [])
    k = text.find("建设的")
    while k >= 0:  # A公司在某地投资建设的X项目: a project stated with its builder, no figure needed
        si = bisect.bisect_right(sent_starts, k) - 1
        if si >= 0 and si not in busy and _BUILT_BY.search(text, max(sentences[si][0], k - 16), k + 3):
            busy[si] = ([], [])
        k = text.find("建设的", k + 3)
    if _event_words_in(text):
        for w in _SUBJECT_BUILDS.finditer(text):  # X有限公司将建…车间: a company's project told by its work
            si = bisect.bisect_right(sent_starts, w.start()) - 1
            if si >= 0 and si not in busy:
                busy[si] = ([], [])
    counts_of: dict[int, list[Metric]] = {}
    for m in counts:
        si = bisect.bisect_right(sent_starts, m.span[0]) - 1
        if si >= 0:
            counts_of.setdefault(si, []).append(m)
    rows = table_rows(text)
    row_spans: list[tuple[int, int]] = []
    if rows:
        idx = _ArticleIndex(text, entities)
        for row in rows:
            f = _row_project(text, row, idx, money, published)
            if f is not None:
                found.append(f)
                row_spans.append((row.start, row.end))
    row_starts = [a for a, _ in row_spans]
    # enumerations of an event's projects (包括A、B、C等一批项目集中开工): one sentence each
    lists: dict[int, list[tuple[int, int, int, int]]] = {}
    if "、" in text or "等" in text:
        for sn, (a, b) in enumerate(sentences):
            roll = _comma_roll(text, a, b)
            if roll:
                lists[sn] = roll  # A项目，B、C项目，D项目等14个项目: items set off by commas
                continue
            if text.find("、", a, b) >= 0 and _KINDS_OF_PROJECTS.search(text, a, b) is None:
                items = list_items(text, a, b, v.equipment_heads)
                if items and _GOAL_BEFORE.search(text, a, items[0][0]) is not None:
                    items = []  # 打造成某地乃至A、B领先的X中心: what a project is to become, no list of projects
                if items:
                    items = _without_slogans(text, items, v.slogan_tails)
                if items:
                    lists[sn] = items
    no_news: tuple[list[_Trigger], list[Metric]] = ([], [])
    # 分别是：A项目；B项目；C项目。 after a signing: each named item is one of the event's projects
    enum_sn = _enumerated_sentences(text, sentences)
    for sn in sorted(busy.keys() | lists.keys() | enum_sn.keys()) if lists or enum_sn else sorted(busy):
        s_start, s_end = sentences[sn]
        if row_spans:
            ri = bisect.bisect_right(row_starts, s_start) - 1
            if ri >= 0 and s_start < row_spans[ri][1]:
                continue  # a table row, read as one project above
        triggers, money_all = busy.get(sn, no_news)
        listed = lists.get(sn)
        if money_all and _any_in(v.non_investment, text[s_start:s_end]):
            money_all = []  # 成果转化协议…合同金额: technologies licensed, not an investment
        best_here = _best([t for t in triggers if not t.future])
        sent_counts = counts_of.get(sn)
        if not money_all and not sent_counts and not listed and not _has_name_end(text, s_start, s_end):
            if best_here is not None and not _planned_figure(text, best_here, context):
                context = _next_context(context, best_here)  # a stage word with nothing to attach it to
                if _CEREMONY.search(text, best_here.start, min(s_end, best_here.end + 4)):
                    if idx is None:
                        idx = _ArticleIndex(text, entities)
                    held = _ceremony_holder(text, idx, s_start, best_here.start)
                    if held is not None:
                        ceremony = (sn, held, best_here)
            continue
        if idx is None:
            idx = _ArticleIndex(text, entities)
        date, planned = find_dates(text, s_start, s_end, published, v.future_markers)
        names = _names(text, s_start, s_end, idx)
        if names and "批" in text[s_start:s_end]:  # 某省重点建设项目(第三批): a batch's name, no project
            names = [n for n in names if _BATCH_AFTER.match(text, n.end) is None]
        if "等" in text[s_start:s_end]:
            names = [n for n in names if not other_list_item(text, n.end, s_end)]
        if names and _PARTY_AFTER.search(text, s_start, s_end) is not None:
            names = [n for n in names if not _signing_party(text, n, idx)]
        if names and "作为" in text[s_start:s_end]:  # X项目作为全市代表项目签约: a role, no project
            names = [n for n in names if not (text.endswith("作为", 0, n.start) and _ROLE_NAME.search(text, n.start, n.end))]
        if "为“" in text[s_start:s_end]:  # 第二大项目为“X”: the quoted name is the project's
            names = [_renamed(text, n) for n in names]
        if len(names) >= 2:
            names = _without_predicate_names(text, names)
            if "暨" in text[s_start:s_end]:
                names = _joined_by_ji(text, names)
        reference_opened = (
            last_named is not None and sn - last_named_at <= _REFERENCE_REACH and _refers_back(text, s_start)
        )
        # --- batch aggregates
        batch = _batch_count(text, sent_counts, s_start, s_end) if sent_counts else None
        if batch is not None:
            # (a park or place inside a listed item's or a project's name is that project's, not the batch's:
            # A、B等21个项目建成投产，C园某项目、D项目等30个项目在建 puts no batch in C园)
            inside = [(a, b) for a, b, _, _ in listed or ()] + [(n.start, n.end) for n in names if n.text is not None]
            locs = [x for x in idx.spans_in(("park",), s_start, s_end) if not _within(x, inside)] \
                or [x for x in idx.spans_in(v.location_types, s_start, s_end) if not _within(x, inside)]
            # 其中，总投资103.8亿元的X项目: a figure naming the project after it is that project's
            named_money = [m for m in money_all if _names_after(text, m, names) and not _batch_figure(text, m)]
            if listed:  # 总投资15亿元的A项目、总投资10亿元的B项目等8个项目: the items' own figures
                named_money += [
                    f for f in (_item_figure(text, a, b, money_all) for a, b, _, _ in listed)
                    if f is not None and f not in named_money
                ]
            batch_money = [m for m in money_all if m not in named_money]
            found.append(_Found(Project(
                name=None,
                investor=None,
                location=locs[0][2].name if locs else None,
                amount=_amount(batch_money[0] if batch_money else None),
                stage=_best_stage(triggers),
                span=(s_start, s_end),
                date=date,
                aggregate=True,
                count=int(batch.value),
                planned_date=planned,
            ), -100, ""))
            names = [
                n for n in names if n.text is not None
                and (
                    not _is_batch_name(n, batch) or _entity_in_name(idx, text[n.start:n.end]) is not None
                    or any(_names_after(text, m, [n]) for m in named_money)
                )
            ]  # X公司Y项目等5个项目 / 由X投资8亿元的Y项目等8个项目: one of the batch, named
            money_all = named_money
        event = _event_near(triggers, sn, busy, text, idx, s_start) if listed else None
        if event is None and listed and context is not None and (
            all(_item_figure(text, a, b, money_all) is not None for a, b, _, _ in listed)
            or all(text.endswith(_ITEM_PROJECT_ENDS, a, b) for a, b, _, _ in listed)
            and _EVENT_TAIL.match(text, listed[-1][3]) is not None
        ):
            # 包括总投资108亿元的A项目、总投资35亿元的B园等项目 / 包括A项目、B项目等…投资项目4个
            # in a 开工/签约 report: the report's projects
            event = context
        if event is None and listed and context is not None and len(listed) >= 2 \
                and all(text.endswith(_ITEM_PROJECT_ENDS, a, b) for a, b, _, _ in listed):
            rep = _REPRESENTED_BY.search(text, max(s_start, listed[0][0] - 12), listed[0][1])
            if rep is not None and listed[0][1] - rep.end() >= 4:
                # (in a 开工 report) …具有代表性的是A项目、B工程、C项目等: the report's projects
                listed = [(max(listed[0][0], rep.end()), *listed[0][1:]), *listed[1:]]
                event = context
        if event is None and listed and context is not None and _complete_roll(text, listed):
            event = context  # 开工项目中，临空区3个：A、B、C: as many items as the count, in a 开工 report
        if event is None and listed and _SITE_TAIL.match(text, listed[-1][3]) is not None \
                and all(idx.companies_in(a, b) for a, b, _, _ in listed):
            # 先后到A、B、C等项目建设现场: the firms' projects, visited (no stage said)
            event = _Trigger(s_start, s_start, "", -100, False)
        firms = _firm_roll(text, listed, idx) if listed else False
        if listed and not firms and _short_names_only(text, listed) and not any(
            _PROJECT_END_WORD.search(text, a, b) for a, b, _, _ in listed
        ) and not _complete_roll(text, listed) and not _some_firm(text, listed, idx, v):
            listed = None  # short names none of which is a firm, closed by 等…项目: kinds, no projects
        if event is None and listed and firms:
            # 集聚了A、B、C等晶圆项目 / 吸引了A、B等项目落户: the firms' projects, settled in the place
            event = context if context is not None and context.stage else _Trigger(s_start, s_start, "落地", -100, False)
        if event is None and listed and _named_roll(text, listed, idx):
            # 观摩了A项目、B项目、C项目等: named projects listed without a stage (a tour, a roll)
            event = _Trigger(s_start, s_start, "", -100, False)
        if event is None:
            listed = None  # an enumeration no event reports: places, goals, products
        elif listed:
            names = [n for n in names if not any(ls <= n.start < le for _, _, ls, le in listed)]
            _add_list_items(text, listed, triggers, None if not event.stage else event if event.start >= s_end
                            else context, idx, found, (s_start, s_end), date, money_all)
            used = [f for f in (_item_figure(text, a, b, money_all) for a, b, _, _ in listed) if f is not None]
            if used:
                money_all = [m for m in money_all if m not in used]
        # --- assign triggers and figures to names
        clauses = split_clauses(text, s_start, s_end) if len(names) > 1 else []
        trig_of: dict[int, list[_Trigger]] = {}
        money_of: dict[int, list[Metric]] = {}
        named_by: dict[int, list[Metric]] = {}  # the figures written right before a name (…亿元的X项目)
        for t in triggers:
            i = _nearest(names, clauses, t.start)
            if i is not None:
                trig_of.setdefault(i, []).append(t)
        for i in range(len(names) - 2, -1, -1):  # 共建A、B: coordinated names share the stage
            if i not in trig_of and i + 1 in trig_of and _coordinated(text, names[i], names[i + 1]):
                trig_of[i] = trig_of[i + 1]
        for i in range(1, len(names)):  # 签约A和B: the stage word before the first is the pair's
            if (
                i not in trig_of and i - 1 in trig_of and _coordinated(text, names[i - 1], names[i])
                and all(t.end <= names[i - 1].start for t in trig_of[i - 1])
            ):
                trig_of[i] = trig_of[i - 1]
        paired_money = _paired_amounts(text, _money_between(money, money_starts, s_start, s_end), names, s_end) \
            if money_all and len(names) > 1 and "分别" in text[s_start:s_end] else []
        for i, m in paired_money:
            money_of.setdefault(i, []).append(m)
            if i not in trig_of:
                shared = next((trig_of[k] for k, _ in paired_money if k in trig_of), None)
                if shared is not None:
                    trig_of[i] = shared  # 签约总投资分别为A、B的X和Y: the pair shares the stage
        spread = _spread_stage(text, triggers, names, s_start)
        for i in spread:
            if i not in trig_of and i not in {k for k, _ in paired_money}:
                trig_of[i] = spread[i]
        for m in money_all:
            if any(m is pm for _, pm in paired_money):
                continue
            small = _SMALL_BATCH.search(text, max(s_start, m.span[0] - 14), m.span[0])
            if small is not None and "分别" not in small.group():
                continue  # 签约的两个项目总投资60亿元: the total of a small batch, no one project's
            if _COUNTED_TOTAL.search(text, max(s_start, m.span[0] - 24), m.span[0]) is not None:
                continue  # 园区已入驻企业16家，总投资44.4亿元: the total of the counted firms or projects
            if _batch_figure(text, m):
                continue  # 总投资约122亿元的27个项目集中开工: the batch's total, no one project's
            i = _nearest(names, clauses, m.span[0])
            naming = False
            for k, n in enumerate(names):  # 10亿的“X项目”: the figure names the project after it
                if _names_after(text, m, [n]):
                    i = k
                    naming = True
                    break
            if i is not None:
                money_of.setdefault(i, []).append(m)
                if naming:
                    named_by.setdefault(i, []).append(m)
        for i, own in named_by.items():
            # 总投资110.9亿元，其中，计划总投资约10亿元的X项目: the figure that names the project is
            # its own; another one near it (the batch's total told before) is not
            money_of[i] = [m for m in money_of[i] if any(m is o for o in own)]
        paired = _paired_investors(idx, names, s_start) if len(names) >= 2 else None
        content = _content_names(text, names, s_start)
        for i in range(1, len(names)):  # 签订X项目投资协议，项目总投资60亿元: 项目 is X, named just before
            prev = names[i - 1]
            if names[i].text is None and prev.text is not None and not prev.scope and i in money_of and i - 1 not in money_of:
                money_of[i - 1] = money_of.pop(i)
        for i, nm in enumerate(names):
            trig = trig_of.get(i, [])
            amounts = money_of.get(i, [])
            builder = _builder_before(text, idx, nm, s_start) if not trig and not amounts else None
            if builder is None and not trig and not amounts and context is not None:
                # 现场签约18个项目。A公司的X项目，…；B公司Y项目，…: firms' projects heading clauses
                # of a report on the event
                builder = _clause_owner(text, idx, nm, s_start)
            if not trig and not amounts and not (
                nm.specific and context is not None and nm.start >= enum_sn.get(sn, len(text))
            ) and builder is None:
                if nm.text is not None and "由" in text[nm.end:s_end]:
                    _agent_fill(text, nm, s_end, idx, found)  # X项目由Y公司投资建设。
                continue
            amount = _pick_amount(text, amounts) if amounts else None
            best = _best(trig)
            if best is not None and best.stage == "落地" and context is not None and context.stage == "签约":
                best = _Trigger(best.start, best.end, "签约", context.priority, False)  # 落户 at a signing event
            if nm.text is None or (
                reference_opened and not nm.specific and nm.owner is None and _predicate(text, nm, s_start)
            ):
                # 该项目是…最大的单体项目，总投资X: a short name in a sentence about the
                # project just named describes it, it is no new project
                target = last_named if last_named is not None and sn - last_named_at <= _REFERENCE_REACH else None
                if named_in.get(last_named_at, 0) > 1:
                    target = None  # A和B顺利投产。该项目…: which of the two is not said
                if nm.text is None and (amount is not None or best is not None):
                    # 这座中心/这个…的项目: the project named most recently, even in a sentence
                    # that reported nothing about it (岛上，X公司Y项目的框架已立起。)
                    recent = _recent_mention(text, sentences, sn, last_named_at, idx, found, date)
                    if recent is not None:
                        target = recent
                        if not any(f is recent for f in found):
                            found.append(recent)
                        last_named, last_named_at = recent, sn
                if (
                    target is None and nm.text is None and amount is not None and ceremony is not None
                    and 0 < sn - ceremony[0] <= _CEREMONY_REACH
                    and "\n" not in text[sentences[ceremony[0]][1] : s_start]
                ):
                    # X公司在某地举行开工仪式…。该项目…协议投资额1.6亿元: the ceremony's project
                    target = _ceremony_project(found, ceremony, amount, (s_start, s_end), date, planned)
                    if target is not None:
                        named_in[sn] = 1
                        last_named, last_named_at = target, sn
                        continue
                if target is not None:
                    real = _best([t for t in trig if not t.future])
                    if real is None and target.project.stage is None:
                        real = best  # 这个…的项目将于明年建成投产: under construction
                    _fill(target, amount, real, _by_investor(idx, s_start, s_end), None)
                    if target.project.planned_date is None:
                        target.project.planned_date = planned  # 该项目预计2026年投产
                    if target is last_named:
                        last_named_at = sn  # the sentence is about it: it is the last one mentioned
                    _prefer_park(target.project, idx, s_start, s_end)
                continue
            if not amounts and _describes_subject(text, nm, s_start) and not idx.companies_in(nm.start, nm.end):
                continue  # X区是全国重要的刃模具生产基地: what a place is, not a project
            if not amounts and (reference_opened or _is_part(text, nm, idx, last_named, sn - last_named_at)):
                continue  # 项目…主要建设X产线 / 首条X产线: a part of the project just named
            if not amounts and nm.text is not None and text.endswith(_PLAN_LAYOUT, max(0, nm.start - 3), nm.start) \
                    and _kinds_only(_PROJECT_TAIL.sub("", nm.text)):
                continue  # 某区布局动力电池电芯及核心配套项目: the kinds of projects a plan places, none reported
            if nm.scope:
                found.append(_Found(Project(
                    name=nm.text, investor=None, location=None, amount=_amount(amount),
                    stage=None if best is None else best.stage, span=(s_start, s_end), date=date,
                    aggregate=True,
                ), -100, ""))
                continue
            tentative = not nm.specific and not amounts and builder is None and not (paired and paired[i])
            # (分别与A、B、C签订甲、乙、丙项目: a short name paired with its company is that company's project)
            if tentative and (best is None or i + 1 < len(names) or (last_named is not None and last_named_at == sn)):
                continue  # a short name is held only as the one project its sentence starts
            if (
                not amounts and i in content and names[i - 1].text is not None
                and (last_named is not None and last_named_at == sn or _known_subject(names, found, idx))
                and not idx.companies_in(names[i - 1].end, nm.start)
                and not (paired and paired[i] and paired[i] != paired[i - 1])  # (分别…X项目和建设Y项目: Y is B's)
            ):
                continue  # X项目总投资8亿元，规划建设年产5GWh生产线(和Y中心): what the project builds
            w_start = names[i - 1].end if i > 0 else s_start
            w_end = names[i + 1].start if i + 1 < len(names) else s_end
            investor = _agent_after(idx, nm, w_end) or _subsidiary_opener(text, nm) or _signed_with(text, idx, nm.start, s_start) or nm.owner or (
                paired[i] if paired else None) or _pick_investor(
                idx, nm, w_start, w_end, s_start
            ) or _brand_investor(nm.text, idx) or _subject_brand(text, w_start, nm.start)
            location = _pick_location(idx, nm, w_start, w_end)
            if best is None and context is not None:
                best = _Trigger(context.start, context.end, context.stage, -100, False)
            elif best is not None and context is not None and _planned_figure(text, best, context):
                best = _Trigger(context.start, context.end, context.stage, -100, False)  # 拟投资 at a signing
            if (
                amount is None and investor is None and best is not None and best.stage == "竣工"
                and nm.text is not None and not nm.text.endswith(_PROJECT_WORDS)
                and text[best.start:best.end] == "建成" and text[best.end:nm.start] in ("", "了")
            ):
                continue  # 建成了协同发展中心: a facility the place has, reported without figure or investor
            core = _core(nm.text, idx)
            same = _match(found, core, investor, nm.text)
            if same is not None:
                _fill(same, amount, best, investor, location)
                if same.project.planned_date is None:
                    same.project.planned_date = planned
                if investor and same.project.investor and len(investor) > len(same.project.investor):
                    same.project.investor = investor  # ABX (headline) → ABX医药科技（湖北）有限公司
                place = _leading_place(same.project.name or "", nm.text, idx)
                if place is not None:  # 某经开区X基地项目 … X基地项目: the park is where it stands
                    same.project.name = nm.text
                    if same.project.location is None:
                        same.project.location = place
                elif _leading_place(nm.text, same.project.name or "", idx) is not None:
                    if same.project.location is None:
                        same.project.location = _leading_place(nm.text, same.project.name or "", idx)
                elif len(nm.text) > len(same.project.name or ""):
                    same.project.name = nm.text
                    same.project.span = (s_start, s_end)
                    same.core = core
                last_named, last_named_at = same, sn
                continue
            f = _Found(Project(
                name=nm.text,
                investor=investor,
                location=location,
                amount=_amount(amount),
                stage=None if best is None else best.stage,
                span=(s_start, s_end),
                date=date,
                planned_date=planned,
            ), -100 if best is None else best.priority, core, tentative)
            found.append(f)
            last_named, last_named_at = f, sn
            named_in[sn] = named_in.get(sn, 0) + 1
        # --- unnamed project with an investor and an investment figure
        opened = _opened_by_found(text, s_start, s_end, found) if not names and batch is None and money_all else None
        if opened is not None:
            # 某某科技园总投资2亿元，…: the sentence opens with a project the article listed
            # (a park's name is no project name of its own): its figure
            _fill(opened, money_all[0], None, None, None)
            last_named, last_named_at = opened, sn
        elif not names and batch is None and money_all and not listed:
            inv = idx.companies_in(s_start, s_end)
            # 第二大项目为“X”，Y公司独资，投资额150亿: a quoted name, the company investing
            # and the figure, in a report whose stage is already known
            quoted = _QUOTED_PROJECT.search(text, s_start, s_end)
            invests = context is not None and _any_in(v.investor_verbs, text[s_start:s_end])
            brand = None if inv or quoted is not None else clause_brand(text, s_start, s_end)
            if brand is not None and not any(f.project.investor == brand for f in found):
                # 某某新材料计划总投资3.6亿元，拟建设…: the company opening the sentence invests
                found.append(_Found(Project(
                    name=None, investor=brand, location=_pick_location(idx, _Name(s_end, s_end, None), s_start, s_end),
                    amount=_amount(money_all[0]),
                    stage=_clause_stage(text, triggers, context),
                    span=(s_start, s_end), date=date, planned_date=planned,
                ), -100, ""))
                last_named, last_named_at = found[-1], sn
                named_in[sn] = 1
            elif inv and (triggers or invests and quoted is not None) and quoted is None \
                    and _joint_parties(text, inv) >= 2:
                # 与A公司、B公司签署…协议，投资额达24亿元: the figure is the parties' total, no one
                # firm's — a batch of their projects, never A's alone (an analyst would quote it as A's)
                found.append(_Found(Project(
                    name=None, investor=None,
                    location=_pick_location(idx, _Name(s_end, s_end, None), s_start, s_end),
                    amount=_amount(money_all[0]),
                    stage=_best_stage(triggers) if triggers else None if context is None else context.stage,
                    span=(s_start, s_end), date=date, planned_date=planned,
                    aggregate=True, count=_joint_parties(text, inv),
                ), -100, ""))
            elif inv and (triggers or invests and quoted is not None):
                found.append(_Found(Project(
                    name=None if quoted is None else quoted.group(1),
                    investor=inv[0][2].name,
                    location=_pick_location(idx, _Name(s_end, s_end, None), s_start, s_end),
                    amount=_amount(money_all[0]),
                    stage=_best_stage(triggers) if triggers else None if context is None else context.stage,
                    span=(s_start, s_end),
                    date=date,
                    planned_date=planned,
                ), -100, ""))
            elif reference_opened and last_named is not None:
                # 一期总投资28亿元… / 该项目…总投资2亿元: the project named last, or the one a
                # heading line named since (X项目\n该项目是…)
                recent = _recent_mention(text, sentences, sn, last_named_at, idx, found, date)
                target = last_named if recent is None else recent
                if recent is None and named_in.get(last_named_at, 0) > 1:
                    target = None  # A和B顺利投产。该项目总投资2亿元: which one is not said
                if target is not None:
                    if not any(f is target for f in found):
                        found.append(target)
                    _fill(target, money_all[0], best_here, _by_investor(idx, s_start, s_end), None)
                    last_named, last_named_at = target, sn
        if (
            last_named is not None and 0 < sn - last_named_at <= _THIS_REACH and not named_in.get(sn)
            and _THIS_PROJECT.search(text, s_start, min(s_end, s_start + 24)) is not None
        ):
            last_named_at = sn  # 此次开工的项目是…重点项目。: the sentence is still about it
        if (
            context is not None and context.stage in _BUILDS_STAGES and batch is None and not listed
            and not any(f.project.span == (s_start, s_end) and not f.tentative for f in found)
        ):
            # X有限公司将投资1.5亿元，扩建…车间 in a 开工 report: the company opening the
            # sentence builds its project (its name not said)
            subject = _subject_builds(text, idx, s_start, s_end, money_all)
            if subject is not None and not any(f.project.investor == subject[0] for f in found):
                found.append(_Found(Project(
                    name=None, investor=subject[0], location=None, amount=_amount(subject[1]),
                    stage=context.stage, span=(s_start, s_end), date=date, planned_date=planned,
                ), -100, ""))
                last_named, last_named_at = found[-1], sn
        if best_here is not None and not _planned_figure(text, best_here, context):
            context = _next_context(context, best_here)
    found = [f for f in found if not (f.tentative and f.project.amount is None)]
    found = _fold_company_projects(found)
    found = _fold_unnamed_repeats(found)
    found = _drop_headline_repeats(found)
    if idx is not None:
        found = [f for f in found if not _only_visited(text, f.project)]
        _signing_parties(text, sentences, idx, found)
    if idx is not None and found and any(w in text for w in _OWNER_GATES):
        _owner_statements(text, sentences, idx, found)
    if "\n" in text and _NUMBERED_INTRO.search(text) is not None:
        if idx is None:
            idx = _ArticleIndex(text, entities)
        _numbered_company_items(text, idx, found, money, published)
    if ("协议" in text or "签约" in text) and (
        _PARTY_SIGNING.search(text) is not None or "企业与" in text and _PARTIES_SIGN.search(text) is not None
        or "家企业" in text and _FIRMS_THEN_SIGN.search(text) is not None
    ):
        if idx is None:
            idx = _ArticleIndex(text, entities)
        _party_signings(text, sentences, idx, found, published, money)
    if _SUBJECT_EVENT_WORDS.search(text) is not None:
        _subject_events(text, sentences, idx if idx is not None else _ArticleIndex(text, entities), found, published)
    if found:
        found = _without_clause_names(found)
        found = _cooperation_ceremonies(found)
    for f in found:
        if f.project.investor is not None and len(f.project.investor) > 6:
            _unglue_place(f.project)
        investor_name = f.project.investor
        if investor_name is not None and (
            investor_name.endswith(_DANGLING_ENDS) or investor_name.startswith(_DANGLING_STARTS) or len(investor_name) < 2
        ):
            f.project.investor = None  # 研发总部和, 的某某: a cut across a conjunction or a particle, no name
    _batch_places_not_investors(text, found)
    return [f.project for f in found]


def _within(span: tuple[int, int, Entity], inside: list[tuple[int, int]]) -> bool:
    """The entity's span lies inside one of ``inside`` (and is not all of it)."""
    return any(a <= span[0] and span[1] <= b and (span[0], span[1]) != (a, b) for a, b in inside)


def _batch_places_not_investors(text: str, found: list[_Found]) -> None:
    """A batch placed by a region its sentence writes only as the home opening an investor's name
    (包括台州某某投资14亿元的X项目等16个项目: the batch is not in 台州): that batch has no place."""
    investors = [f.project.investor for f in found if not f.project.aggregate and f.project.investor]
    if not investors:
        return
    for f in found:
        p = f.project
        if not p.aggregate or not p.location or p.span is None:
            continue
        a, b = p.span
        at = text.find(p.location, a, b)
        if at < 0:
            continue
        while at >= 0:
            if not any(inv.startswith(p.location) and text.startswith(inv, at) for inv in investors):
                break  # written once as a place of its own: the batch's place
            at = text.find(p.location, at + len(p.location), b)
        else:
            p.location = None


def _unglue_place(p: Project) -> None:
    """An investor read with the places written before it (某市某区某某控股集团, 某某新区某某实业
    有限公司) is the company without them; the project's name loses them too, and the place is
    where the project stands when nothing else says."""
    inv = p.investor or ""
    cut = glued_place(inv)
    if not cut:
        return
    place, company = inv[:cut], inv[cut:]
    p.investor = company
    if p.location is None:
        p.location = place
    if p.name is not None and p.name.startswith(inv):
        p.name = p.name[cut:]  # (the company opening it stays, as list items keep it)


# A company opening a clause and what happened to it, nothing between (华锦铝业建成投产,
# 某某有限公司正式开工); or a company heading a batch (某某集团等一批标志性项目的引进)
# either of the two, found once over the article (the subject is read back from it)
_SUBJECT_STAGES: Final = {
    "建成投产": "投产", "竣工投产": "投产", "投产": "投产", "达产": "投产", "开工建设": "开工", "开工": "开工",
    "竣工": "竣工", "签约落户": "签约", "落户": "落地", "落地": "落地",
}
_SUBJECT_LEADS: Final = ("已经", "已", "正式", "顺利", "成功", "全面", "率先", "相继")
_SUBJECT_ANCHOR: Final = re.compile(
    r"(?=[已正顺成全率相建竣投达开签落等])(?:" + "|".join(_SUBJECT_LEADS) + ")*(?P<stage>" + "|".join(_SUBJECT_STAGES) + ")"
    r"(?![后的时]|以后|之后|项目|仪式)"
    r"|等(?:一批|多个|[0-9一二三四五六七八九十]+个)[^，,。；;]{0,8}?项目"
)
# Every anchor holds a stage word (after lead words only) or opens with 等: these "cores" are
# found by one literal scan, and the anchor is tried only from the run of lead characters
# before each (see _subject_anchors).  A core may also start inside another core's word
# (建成投产 holds 投产): the offsets where one can, per word, 0 first.
_SUBJECT_CORE: Final = re.compile("|".join([*_SUBJECT_STAGES, "等"]))
_SUBJECT_LEAD_CHARS: Final = frozenset("".join(_SUBJECT_LEADS))


def _core_offsets(word: str, cores: list[str]) -> tuple[int, ...]:
    return (0, *(j for j in range(1, len(word))
                 if any(u.startswith(word[j:]) or word[j:].startswith(u) for u in cores)))


_SUBJECT_CORE_OFFSETS: Final = {w: _core_offsets(w, [*_SUBJECT_STAGES, "等"]) for w in [*_SUBJECT_STAGES, "等"]}
_SUBJECT_BACK: Final = 60  # characters from a stage word back to its clause's start
_SUBJECT_EVENT_WORDS: Final = re.compile(r"投产|达产|开工|竣工|落户|落地|等一批|等多个")


def _subject_anchors(text: str) -> list[re.Match[str]]:
    """``_SUBJECT_ANCHOR.finditer(text)``, the same matches: a match starts at a core or in the
    run of lead characters right before one, so the anchor is tried only there (left to
    right, each position once) instead of at every position of the article."""
    out: list[re.Match[str]] = []
    match = _SUBJECT_ANCHOR.match
    pos = 0  # no match starts before pos (the end of the last one, or past a core tried in vain)
    for k in _SUBJECT_CORE.finditer(text):
        c0 = k.start()
        for off in _SUBJECT_CORE_OFFSETS[k.group()]:
            c = c0 + off
            if c < pos:
                continue
            q = c
            while q > pos and text[q - 1] in _SUBJECT_LEAD_CHARS:
                q -= 1
            hit: re.Match[str] | None = None
            for i in range(q, c + 1):
                hit = match(text, i)
                if hit is not None:
                    break
            if hit is None:
                pos = c + 1
            else:
                out.append(hit)
                pos = hit.end()
    return out
_CLAUSE_OPEN: Final = "，,。；;：:\n！？!?"
_SUBJECT_REACH: Final = 10  # characters of a brand-only subject (华锦铝业)


def _subject_events(
    text: str, sentences: list[tuple[int, int]], idx: _ArticleIndex, found: list[_Found], published: str | None,
) -> None:
    """A company that opens a clause and is told to have reached a stage (华锦铝业建成投产) or to
    head a batch of projects (某某集团等一批项目): one project of that company, its name not
    said, unless a project of the article has that company as its investor already.  Read from
    each stage or batch word back to its clause's start (few per article), not clause by clause."""
    v = _pv()
    taken = {f.project.investor for f in found if f.project.investor}
    regions = load_lexicon().regions
    sent_starts = [a for a, _ in sentences]
    for m in _subject_anchors(text):
        at = m.start()
        cs = at
        while cs > 0 and at - cs <= _SUBJECT_BACK and text[cs - 1] not in _CLAUSE_OPEN:
            cs -= 1
        if at - cs > _SUBJECT_BACK:
            continue
        while cs < at and text[cs] in " \u3000":
            cs += 1
        if at - cs < 2:
            continue
        investor: str | None = None
        comps = idx.companies_in(cs, at)
        if comps and comps[0][0] == cs and comps[0][1] == at:
            investor = comps[0][2].name
        elif at - cs <= _SUBJECT_REACH and m.group("stage") is not None:
            head = text[cs:at]
            if item_company(head, regions, v.item_heads, v.brand_industries, v.brand_generic,
                            v.estate_words) == head:
                investor = head
        if investor is None or investor in taken:
            continue
        si = bisect.bisect_right(sent_starts, at) - 1
        if si < 0:
            continue
        s_start, s_end = sentences[si]
        stage: str | None
        if m.group("stage") is not None:
            stage = _SUBJECT_STAGES[m.group("stage")]
        else:
            stage = None
            ce = s_end
            for t in ("引进", "落户", "落地", "签约", "开工", "投产", "竣工"):
                if text.find(t, at, ce) >= 0:
                    stage = _SUBJECT_STAGES.get(t, "落地" if t == "引进" else t)
                    break
        date, planned = find_dates(text, s_start, s_end, published, v.future_markers)
        found.append(_Found(Project(
            name=None, investor=investor, location=None, amount=None, stage=stage,
            span=(s_start, s_end), date=date, planned_date=planned,
        ), -100, ""))
        taken.add(investor)


_FIGURE_AFTER_NAME: Final = re.compile(
    r"(?:项目)?(?:计划|预计|拟)?(?:总投资|投资总额|投资)(?:额)?(?:约|达|为|近|超)?\s*[0-9]"
)


def _opened_by_found(text: str, s_start: int, s_end: int, found: list[_Found]) -> _Found | None:
    """The project already read whose name (4+ characters, no figure yet) opens the sentence
    right before its investment figure (X科技园总投资2亿元)."""
    at = s_start
    while at < s_end and text[at] in _OPENERS:
        at += 1
    for f in found:
        p = f.project
        name = p.name
        if p.aggregate or p.amount is not None or name is None or len(name) < 4:
            continue
        if text.startswith(name, at) and _FIGURE_AFTER_NAME.match(text, at + len(name), s_end) is not None:
            return f
    return None


_OPENERS: Final = " \t\u3000\n"


def _fold_unnamed_repeats(found: list[_Found]) -> list[_Found]:
    """A project told without its name (X公司总投资108亿元的项目) beside the named project of
    the same company with the same figure (or that figure rounded: 3.6亿元 / 36018万元): the
    same project told again."""
    out = found
    for f in found:
        p = f.project
        if p.aggregate or p.name is not None or not p.investor or p.amount is None:
            continue
        inv = p.investor
        for g in out:
            q = g.project
            if g is f or q.aggregate or q.name is None or not q.investor or q.amount is None:
                continue
            if _same_figure(q.amount.value, p.amount.value) and (inv.startswith(q.investor) or q.investor.startswith(inv)):
                out = [h for h in out if h is not f]
                break
    return out


def _same_figure(a: float, b: float) -> bool:
    """One figure told twice, once rounded (3.6亿元 / 36018万元): equal within 1 %."""
    return a == b or abs(a - b) <= 0.01 * max(abs(a), abs(b))


# what a project's name never is: a clause with a count or a figure (开工23个项目, 项目2个,
# 一季度实现总投资34亿元, 50亿元项目), a pronoun's (我们这次项目), a stage told of a place (某县在建),
# a batch (一大批…项目, 新开工和谋划项目) or a total the article expects (某区预计项目)
_CLAUSE_NAME: Final = re.compile(
    r"^(?:我们|我|他们|这次|此次)|[0-9]个项目|项目[0-9]+个$|^[0-9.]+(?:万亿|亿|万)?元?(?:以上)?项目$|实现总投资|"
    r"预计项目|计划项目|在建$|^(?:一大批|一批|大批)|和谋划|^(?:新开工|开工|签约|竣工|投产)[0-9]"
)


def _without_clause_names(found: list[_Found]) -> list[_Found]:
    """Projects whose 'name' is a clause or a batch (``_CLAUSE_NAME``): dropped when nothing else
    names them (no investor, no figure), else kept without the name."""
    out: list[_Found] = []
    for f in found:
        p = f.project
        if p.aggregate or p.name is None or _CLAUSE_NAME.search(p.name) is None:
            out.append(f)
        elif p.investor is not None or p.amount is not None:
            p.name = None
            out.append(f)
    return out


def _cooperation_ceremonies(found: list[_Found]) -> list[_Found]:
    """某市人民政府与A集团合作项目签约仪式…。本次签约的X项目…: "A集团合作项目" names the ceremony's
    party, no project; the projects named after it without an investor are A's, and the
    ceremony's pseudo-project goes when it gave its party to one."""
    out = found
    for f in found:
        p = f.project
        if p.aggregate or not p.investor or p.name != p.investor + "合作项目":
            continue
        later = [g for g in out if g is not f and not g.project.aggregate and g.project.investor is None
                 and g.project.name is not None and g.project.span[0] >= p.span[0]]
        if not later:
            continue
        for g in later:
            g.project.investor = p.investor
            if g.project.stage is None:
                g.project.stage = p.stage
        out = [g for g in out if g is not f]
    return out


def _fold_company_projects(found: list[_Found]) -> list[_Found]:
    """某某有限公司项目 (the company's name + 项目, a venue or a first mention), or a firm listed
    among projects by its name alone (引进A、B等项目14个，其中B的X项目…), beside that company's one
    project with its own name in the article: the same project."""
    out = found
    for f in found:
        p = f.project
        if p.aggregate or not p.investor or not p.name or not (
            p.name == p.investor + "项目" or p.name == p.investor or len(p.name) >= 2 and p.name in p.investor
        ):
            continue
        others = [
            g for g in out if g is not f and not g.project.aggregate and g.project.investor == p.investor
        ]
        if len(others) != 1:
            continue
        keep = others[0].project
        if keep.amount is None:
            keep.amount = p.amount
        if keep.stage is None:
            keep.stage = p.stage
        out = [g for g in out if g is not f]
    return out


def _clause_stage(text: str, triggers: list[_Trigger], context: _Trigger | None) -> str | None:
    """The stage of a sentence's project: its own stage word, unless that is only the plan of
    a figure (计划总投资) in an article reporting another stage (开工)."""
    best = _best([t for t in triggers if not t.future])
    if context is not None and (best is None or best.stage == "规划" or _planned_figure(text, best, context)):
        return context.stage
    return None if best is None else best.stage


_CEREMONY: Final = re.compile(r"仪式|典礼|奠基")
_CEREMONY_REACH: Final = 2  # sentences after the ceremony where 该项目 still means its project


def _ceremony_holder(text: str, idx: _ArticleIndex, s_start: int, at: int) -> str | None:
    """The one company that holds the ceremony: named before its stage word in the sentence,
    with 举行/举办 between them (X公司在某地举行开工仪式)."""
    companies = [c for c in idx.companies_in(s_start, at) if _usable(idx, c)]
    if len(companies) != 1:
        return None
    c = companies[0]
    between = text[c[1] : at]
    if "举行" not in between and "举办" not in between:
        return None
    return c[2].name


def _ceremony_project(
    found: list[_Found], ceremony: tuple[int, str, _Trigger], amount: Metric,
    span: tuple[int, int], date: str | None, planned: str | None,
) -> _Found | None:
    """The project of a company's ceremony, told by 该项目 with its figure; a paragraph printed
    twice gives the same project once."""
    _, investor, trig = ceremony
    for f in found:
        p = f.project
        if p.name is None and not p.aggregate and p.investor == investor:
            if p.amount is not None and p.amount.value == amount.value:
                return f
            return None  # the company's project already told with another figure
    f = _Found(Project(
        name=None, investor=investor, location=None, amount=_amount(amount), stage=trig.stage,
        span=span, date=date, planned_date=planned,
    ), trig.priority, "")
    found.append(f)
    return f


def _only_visited(text: str, p: Project) -> bool:
    """A project named only where a delegation visits (考察…项目拟选址), with no figure and
    no stage of its own beyond a plan: a place seen, no project reported."""
    if p.aggregate or p.amount is not None or p.stage not in (None, "规划"):
        return False
    if _SITE_TAIL.search(text, p.span[0], p.span[1]) is not None:
        return False  # 到A、B等项目建设现场调研: the projects' sites, under way
    return _any_in(_pv().visit_words, text[p.span[0]:p.span[1]])


_ITEM_MONEY: Final = re.compile(
    r"(?:总投资|投资额|投资|签约额)?(?:约|达|为|近|超)?\s*([0-9]+(?:\.[0-9]+)?)\s*(万亿|千万|亿|万)?(元|美元)(的)?"
)
_MONEY_SCALE: Final = {"": 1.0, "万": 1e4, "千万": 1e7, "亿": 1e8, "万亿": 1e12}
_FIGURE_OPENS_ITEM: Final = re.compile(
    r"(?:总投资|投资额|投资|签约额)(?:约|达|为|近|超)?\s*[0-9.]+\s*(?:万亿|千万|亿|万)?(?:元|美元)的"
)


# a group or company named right after the park opening an item (某区 + 临某某集团迁建项目)
_GROUP_OPENER: Final = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:集团|有限公司)(?=[\u4e00-\u9fff]{2})")


_DANGLING_ENDS: Final = ("和", "及", "与", "的", "、", "或", "等")
_DANGLING_STARTS: Final = ("的", "和", "及", "与", "、", "了")
_PLAN_LAYOUT: Final = ("布局", "布局了", "布局建设")
_PROJECT_TAIL: Final = re.compile(r"(?:产业)?(?:项目|工程)$")
_SITE_TAIL: Final = re.compile(r"等(?:重点|重大)?项目(?:建设)?(?:现场|工地)")


def _item_figure(text: str, s: int, e: int, money: list[Metric]) -> Metric | None:
    """总投资15亿元的X项目 as a list item: the figure right before 的 inside the item is
    that item's (the last such one: 与A公司签订总投资15亿元的X项目)."""
    hit: Metric | None = None
    for m in money:
        end = _figure_end(text, m)
        if s <= m.span[0] and end < e and end + 1 < e and (
            text[end] == "的" or m.span[0] - s <= 6 and _item_opener(text, m)
        ):
            hit = m
    return hit


def _add_list_items(
    text: str, listed: list[tuple[int, int, int, int]], triggers: list[_Trigger], context: _Trigger | None,
    idx: _ArticleIndex, found: list[_Found], span: tuple[int, int], date: str | None,
    money: list[Metric] | None = None,
) -> None:
    """The items of an event's list (包括A、B、C等…集中开工), each one project: the event's
    stage (its trigger after the list, else before it, else the article's), the company
    that opens the item's name; a figure only where the item states its own (总投资15亿元的X
    项目, the name then starts after 的), else none (the sentence's figure is the batch's)."""
    v = _pv()
    real = [t for t in triggers if not t.future]
    rolled = _complete_roll(text, listed)
    first_new = len(found)
    for s, e, ls, le in listed:
        figure = _item_figure(text, s, e, money) if money else None
        if figure is None:
            n_start = s
        else:
            n_start = _figure_end(text, figure)
            n_start += 1 if text.startswith("的", n_start) else 0
        stated_amount: Amount | None = None
        if figure is None:
            stated = _FIGURE_OPENS_ITEM.search(text, s, e)  # (a figure the metrics did not keep)
            if stated is not None and e - stated.end() >= 4:
                n_start = stated.end()
            opening = _ITEM_MONEY.match(text, s, e)
            if opening is not None and e - opening.end() >= 4 and (opening.group(4) or text[s].isdigit()):
                # 3亿元的X项目 / 1.2亿元新健…项目 / 总投资5亿元的Y项目 opening an item: its own figure,
                # told again with the same value elsewhere (the metrics keep one fact per value)
                n_start = opening.end()
                stated_amount = Amount(float(opening.group(1)) * _MONEY_SCALE[opening.group(2) or ""], opening.group(3))
        located = _LOCATED_ITEM.match(text, n_start, e)
        site: str | None = None
        if located is not None and e - located.end() >= 4:
            site, n_start = located.group(1), located.end()  # 位于某区的X项目: where it stands, then its name
            s = n_start
        built: str | None = None
        by = _BUILT_ITEM.match(text, n_start, e) if text.find("的", n_start, e) > 0 else None
        if by is not None and e - by.end() >= 4:
            firm = [c for c in idx.companies_in(n_start, by.start(1) + len(by.group(1))) if c[0] == n_start
                    and c[1] == n_start + len(by.group(1))]
            if firm:
                built, n_start = firm[0][2].name, by.end()  # A公司投资的X项目: A builds X
                s = n_start
        if figure is None and any(
            c[1] == e or c[0] <= s and e <= c[1] for c in idx.spans_in(_PLACE_TYPES, max(0, s - 1), e + 1)
        ) and not idx.companies_in(s, e):
            continue  # a region or body named among projects is no project of its own (a park
            # with its own figure, 总投资35亿元的X科技园, is one)
        after = [t for t in real if t.start >= le]
        before = [t for t in real if t.end <= ls]
        # 新开工A、B等14个项目，建成投产C等9个项目: the stage words of the list's own clause
        # (the highest of them) win, then the first after it, then the last before it
        own = [t for t in before if _CLAUSE_STOP.search(text, t.end, ls) is None]
        own += [t for t in after if _CLAUSE_STOP.search(text, le, t.start) is None]
        trig = _best(own) if own else None
        if trig is None:
            trig = after[0] if after else before[-1] if before else None
        if trig is None and context is not None:
            trig = _Trigger(context.start, context.end, context.stage, -100, False)
        raw = text[n_start:e]
        name = _NORM_SPACE.sub("", raw)
        size = _SIZE_HEAD.match(name)
        if name in _pv().generic_names or size is not None and name[size.end():] in _pv().generic_names:
            continue  # 集中开工项目131个、超50亿元项目2个: the event's batches, counted, no names
        park_ent = next((p for p in idx.spans_in(("park",), n_start, e) if p[0] == n_start and e - p[1] >= 4), None)
        zone = _ITEM_PARK.match(name) if park_ent is None and raw == name else None
        park = park_ent if park_ent is not None else (n_start, n_start + zone.end(), None) if zone else None
        location: str | None = None
        owner_text = name  # what the investor is read from
        if park is not None and raw == name:
            # 某经开区 + 某某集团迁建项目: the park opening the item is where it stands; the
            # investor is read from what follows it
            owner_text = name[park[1] - n_start:]
            location = park[2].name if park[2] is not None else name[: park[1] - n_start]
            group = _GROUP_OPENER.match(owner_text)
            investor = group.group() if group is not None and not _is_generic(group.group()[:-2], load_lexicon()) \
                else _item_investor(idx, park[1], e, owner_text, v.brand_generic)
        else:
            investor = _item_investor(idx, s, e, name, v.brand_generic)
            if investor is not None and name.startswith(investor) and _CAPACITY_IN_ITEM.search(name) is not None:
                # 华能 + 热电2×35万千瓦…: a known group's short name and a trade word before a capacity
                # name the group's firm (华能热电) as the item reads it
                longer = item_company(
                    name, load_lexicon().regions, v.item_heads, v.brand_industries, v.brand_generic,
                    v.estate_words, v.item_works,
                )
                if longer is not None and longer.startswith(investor) and len(longer) > len(investor) \
                        and name.startswith(longer):
                    investor = longer
            if investor is not None and not name.startswith(investor) and investor in name:
                # 某华石油 + 海洋石油装备…项目: the firm opening the item, not a name inside its product
                opener = item_company(
                    name, load_lexicon().regions, v.item_heads, v.brand_industries, v.brand_generic,
                    v.estate_words, v.item_works,
                )
                if opener is not None and name.startswith(opener + investor):
                    investor = opener
            if figure is not None:
                # (总投资5亿元的X有限公司Y项目: the company opening the name after the item's figure,
                # not a short form read off its legal name; 与X公司签订…的Y项目: the party named)
                opener = _item_investor(idx, n_start, e, name, v.brand_generic)
                if investor is None or opener is not None and _named_company(idx, opener) \
                        and not _named_company(idx, investor):
                    investor = opener
        opening_body = next((g for g in idx.spans_in(("government",), n_start, e) if g[0] == n_start), None)
        if opening_body is not None:
            # 某县人民政府 + 某某大学 + 专项合作: a government's agreement with a university or firm;
            # the other party, written right after the body, is the one that invests
            party = next((x for x in idx.spans_in(_PARTY_TYPES, opening_body[1], e) if x[0] == opening_body[1]), None)
            investor = party[2].name if party is not None else None
        elif investor is None:
            investor = item_company(
                owner_text, load_lexicon().regions, v.item_heads, v.brand_industries, v.brand_generic, v.estate_words,
                v.item_works,
            )
        if investor is not None and _trade_words_only(investor, v):
            investor = None  # 环保新材料标准化项目: trade words only (环保 + 新材料), no firm's name
        if investor is None and figure is not None:
            investor = _investor_before_figure(text, s, figure)  # 某地某某投资14亿元的X项目: 某地某某 invests
        if investor is None and opening_body is None:
            # 某磷集团大水工业园三期工程, 某某幸福机器人产业园, 某化年产6000吨…: the firm opening the item
            investor = _strong_headed_opening(owner_text) or _listed_opening(owner_text) \
                or _coined_pair_before_capacity(owner_text, load_lexicon().regions)
        if investor is None and trig is not None and opening_body is None:
            investor = item_brand(owner_text, load_lexicon().regions)  # 某省某某15万只…: the brand opening the item
        if location is None and site is not None:
            location = site
        if built is not None:
            investor = built
        if location is None and investor is None and figure is None and not (rolled and len(name) >= _ROLLED_KIND_MIN) \
                and not names_a_project(name) and _kinds_only(name):
            continue  # 引进动力电池、电机电控等项目: kinds of projects, no project of its own
        core = _core(name, idx)
        same = _match(found, core, investor, name)
        if same is not None:
            _fill(same, figure, trig, investor, location)
            if same.project.amount is None and stated_amount is not None:
                same.project.amount = stated_amount
            continue
        found.append(_Found(Project(
            name=name, investor=investor, location=location,
            amount=_amount(figure) if figure is not None else stated_amount,
            stage=None if trig is None else trig.stage, span=span, date=date,
        ), -100 if trig is None else trig.priority, core))
    _firms_listed_as_projects(found[first_new:], v)


_INVESTS_BEFORE: Final = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:拟|计划|将)?投资\Z")


def _investor_before_figure(text: str, s: int, figure: Metric) -> str | None:
    """An item opened by its investor's short name, 投资 and its figure (某地某某投资14亿元的X项目,
    no legal suffix, so no entity): that name, when it is no place, no generic or leading word."""
    hit = _INVESTS_BEFORE.search(text, s, figure.span[0])
    if hit is None or hit.start() != s:
        return None
    cand = hit.group(1)
    lex = load_lexicon()
    if cand in lex.regions or _is_generic(cand, lex) or cand.startswith(tuple(lex.leading_words)) \
            or cand.startswith(tuple(lex.cut_words)):
        return None
    home = next((k for k in (3, 2) if cand[:k] in lex.regions), 0)
    rest = cand[home:]
    if len(rest) < 2 or rest in lex.regions or _is_generic(rest, lex) or rest.startswith(tuple(lex.leading_words)):
        return None
    return cand


def _firm_roll(text: str, listed: list[tuple[int, int, int, int]], idx: _ArticleIndex) -> bool:
    """Two or more items, each exactly a company's name, closed by 等…项目 (A、B、C等晶圆项目)."""
    if len(listed) < 2 or _FIRM_ROLL_TAIL.match(text, listed[-1][3]) is None:
        return False
    return all(any(c[0] == a and c[1] == b for c in idx.companies_in(a, b)) for a, b, _, _ in listed)


def _some_firm(text: str, listed: list[tuple[int, int, int, int]], idx: _ArticleIndex, v: _ProjectVocab) -> bool:
    """An item is a company's name (an entity, or a trade name and a head word: 某某磁电)."""
    regions = load_lexicon().regions
    return any(
        any(c[0] == a and c[1] == b for c in idx.companies_in(a, b)) or item_company(
            text[a:b], regions, v.item_heads, v.brand_industries, v.brand_generic, v.estate_words, v.item_works,
        ) is not None
        for a, b, _, _ in listed
    )


def _short_names_only(text: str, listed: list[tuple[int, int, int, int]]) -> bool:
    return all(b - a <= 6 for a, b, _, _ in listed)


_FIRM_ROLL_TAIL: Final = re.compile(r"等[^，,。；;、]{0,8}?项目|等(?:纷纷|相继|陆续|先后|均已|已)?(?:签约)?(?:落户|入驻)")
_PROJECT_END_WORD: Final = re.compile(r"(?:项目|工程|基地|中心|园|厂|城|港|总部|线|站|场|馆|院|楼)$")


def _trade_words_only(name: str, v: _ProjectVocab) -> bool:
    """``name`` is written only with words that close a firm's name or name a trade (环保新材料,
    智能装备): no trade name of its own."""
    words = _word_set_of(v)
    pos, n = 0, len(name)
    while pos < n:
        for k in range(min(n - pos, 5), 1, -1):
            if name[pos : pos + k] in words:
                pos += k
                break
        else:
            return False
    return True


_TRADE_WORDS_SLOT: Final[list[frozenset[str]]] = []


def _word_set_of(v: _ProjectVocab) -> frozenset[str]:
    if not _TRADE_WORDS_SLOT:  # built once per process
        _TRADE_WORDS_SLOT.append(frozenset(v.brand_heads) | frozenset(v.brand_industries))
    return _TRADE_WORDS_SLOT[0]


def _firms_listed_as_projects(items: list[_Found], v: _ProjectVocab) -> None:
    """某某汽车、某某科技、安信某某、某某特等一批项目陆续开工: when most items of a list are firms
    named alone (the item is its company's name), an item of the same shape that no rule read —
    a trade name of 3-6 characters with no project's, place's or kind's word — is a firm too."""
    whole = sum(1 for f in items if f.project.investor is not None and f.project.investor == f.project.name)
    if whole < 2 or 2 * whole < len(items):
        return
    for f in items:
        p = f.project
        name = p.name
        if p.investor is not None or name is None or not 3 <= len(name) <= 6 or _LISTED_FIRM.fullmatch(name) is None:
            continue
        if _PROJECT_WORDISH.search(name) is not None or _kinds_only(name) or _is_generic(name, load_lexicon()):
            continue
        toks = _tokens(name)
        last = toks[-1] if toks else None
        if last is not None and len(last[2]) >= 3 and last[3] in _COMMON_TAGS \
                and last[2] not in v.brand_heads and last[2] not in v.brand_industries:
            continue  # 某某口服液, 某某机器人: a product's word closes it, no firm's
        p.investor = name


_LISTED_FIRM: Final = re.compile(r"[\u4e00-\u9fff]{3,6}")
_PROJECT_WORDISH: Final = re.compile(r"项目|工程|基地|中心|园|厂|城|港|区|路|站|馆|院|校|线|楼|场|总部|公寓|小区|市|县|镇|村")


_PARTY_TYPES: Final = ("company", "institution")
# an item opened by the firm that builds it (A有限公司投资的X项目, A集团投资建设的Y产业园项目)
_BUILT_ITEM: Final = re.compile(r"([^、，,。；;]{2,40}?(?:公司|集团))(?:投资建设|投资兴建|投资|建设|打造|兴建)的")
# an item opened by where it stands (有位于某区的X项目, 位于某市的Y产业园项目)
_LOCATED_ITEM: Final = re.compile(r"(?:有)?(?:位于|地处|坐落于|坐落在)([\u4e00-\u9fff]{2,12}?)的")
_CAPACITY_IN_ITEM: Final = re.compile(r"[0-9]")


# an item of common words in a complete roll is one project when it describes a line of work
# (能源钻采高端装备制造), not when it is a product's kind (热管理系统、汽车线束)
_ROLLED_KIND_MIN: Final = 7


def _named_company(idx: _ArticleIndex, name: str) -> bool:
    """``name`` is a name or alias of one of the article's company entities."""
    return any(form == name for form, _ in idx.company_forms())


def _without_slogans(
    text: str, items: list[tuple[int, int, int, int]], tails: tuple[str, ...],
) -> list[tuple[int, int, int, int]]:
    """The enumerations none of whose items ends in 的 + a slogan's noun (大抓项目、抓大项目的
    热潮: the list is a call to action, no list of projects)."""
    bad = {
        (ls, le) for s, e, ls, le in items
        for t in tails if text.endswith(t, s, e) and text[e - len(t) - 1 : e - len(t)] == "的"
    }
    return [it for it in items if (it[2], it[3]) not in bad] if bad else items


def _kinds_only(name: str) -> bool:
    """``name`` is common words only (电机电控, 汽车电子): a kind of project, no proper name."""
    toks = _tokens(name)
    return bool(toks) and all(t in _COMMON_TAGS for _, _, _, t in toks) and any(len(w) >= 2 for _, _, w, _ in toks)


def _leading_place(longer: str, shorter: str, idx: _ArticleIndex) -> str | None:
    """The park or region that ``longer`` puts before ``shorter`` (清江经开区 + X基地项目)."""
    if len(longer) <= len(shorter) or not longer.endswith(shorter):
        return None
    head = longer[: len(longer) - len(shorter)]
    return head if head in idx.place_names() else None


def _money_between(money: list[Metric], starts: list[int], a: int, b: int) -> list[Metric]:
    i = bisect.bisect_left(starts, a)
    out: list[Metric] = []
    while i < len(money) and money[i].span[0] < b:
        out.append(money[i])
        i += 1
    return out


def _paired_amounts(text: str, money: list[Metric], names: list[_Name], s_end: int) -> list[tuple[int, Metric]]:
    """分别为11亿元、6亿元的A项目和B项目: figures listed after 分别 and joined by 、/和, then 的
    and as many names joined by 和/、/及: the k-th figure is the k-th name's."""
    out: list[tuple[int, Metric]] = []
    if len(money) < 2 or len(names) < 2:
        return out
    for k, m in enumerate(money):
        if not _RESPECTIVELY.search(text, max(0, m.span[0] - 6), m.span[0]):
            continue
        run = [m]
        for nxt in money[k + 1:]:
            if text[run[-1].span[1]:nxt.span[0]] not in ("、", "和", "，", ","):
                break
            run.append(nxt)
        if len(run) < 2 or not text.startswith("的", run[-1].span[1]):
            continue
        after = [i for i, n in enumerate(names) if n.start >= run[-1].span[1] and n.text is not None]
        if len(after) < len(run):
            continue
        chosen = after[: len(run)]
        if names[chosen[0]].start - run[-1].span[1] > 2:
            continue
        if any(text[names[a].end:names[b].start] not in ("", "、", "和", "及", "与") for a, b in zip(chosen, chosen[1:], strict=False)):
            continue
        out.extend(zip(chosen, run, strict=False))
        break
    return out


_RESPECTIVELY: Final = re.compile(r"分别(?:为|是|达|约)?[^，,。；;]{0,4}$")


def _spread_stage(
    text: str, triggers: list[_Trigger], names: list[_Name], s_start: int
) -> dict[int, list[_Trigger]]:
    """签约的4个项目分别是A，B，C: a list opened by 分别 after a stage word gives every
    name of it that stage."""
    real = [t for t in triggers if not t.future]
    if not real or len(names) < 2:
        return {}
    k = text.find("分别", real[0].end, names[0].start + 1)
    if k < 0 or k > names[0].start:
        return {}
    return {i: [real[0]] for i, n in enumerate(names) if n.start > k}


def _content_names(text: str, names: list[_Name], s_start: int) -> set[int]:
    """Names after 建设/打造/包括… (and those joined to them by 和/、): what a project
    builds, not projects of their own (the first name of a sentence never is)."""
    verbs = _pv().content_verbs
    content: set[int] = set()
    for i in range(1, len(names)):
        if text.endswith(verbs, max(s_start, names[i].start - 4), names[i].start) or (
            i - 1 in content and _coordinated(text, names[i - 1], names[i])
        ):
            content.add(i)
    return content


def _agent_fill(text: str, nm: _Name, s_end: int, idx: _ArticleIndex, found: list[_Found]) -> None:
    """X项目由A(的全资子公司B)投资建设: a sentence with neither stage word nor figure still
    names the investor of a project already read."""
    m = _AGENT.match(text, nm.end, s_end)
    if m is None or nm.text is None:
        return
    comps = idx.companies_in(m.start(1), m.end(1))
    same = _match(found, _core(nm.text, idx), None)
    if comps and same is not None and same.project.investor is None:
        same.project.investor = comps[-1][2].name  # the last company before the verb: B of A的子公司B


_AGENT_VERB: Final = re.compile(r"投资建设|投资兴建|独资建设|合资建设|负责建设|承建")
_AGENT: Final = re.compile(r"(?:项目)?由([^，,。；;]{2,60}?)(?:投资建设|投资兴建|独资建设|合资建设|投资|出资|负责建设|承建|建设)")


def _names_after(text: str, m: Metric, names: list[_Name]) -> bool:
    """总投资X亿元的Y项目 / X亿的“Y项目”: the figure is told of a name right after it."""
    end = _figure_end(text, m)
    if text.startswith("的", end):
        return any(n.text is not None and end < n.start <= end + 3 for n in names)
    # 、投资8亿元某某技改工程、…: a figure opening a list item names the item glued to it
    # (the name's span may hold the figure, cut from its text)
    return _item_opener(text, m) and any(
        n.text is not None and (n.start == end or n.start <= m.span[0] < n.end) for n in names
    )


def _figure_end(text: str, m: Metric) -> int:
    """Where a money figure's words end: after 元 when the figure was read without it
    (1.8亿 of 1.8亿元年产…, where 元年 reads as a word)."""
    end = m.span[1]
    return end + 1 if text.startswith("元", end) and not m.raw.endswith("元") else end


def _item_opener(text: str, m: Metric) -> bool:
    """The figure opens an item of a list (、总投资2亿元X / ：投资8亿元Y): its marker stands
    right after the list's comma, colon or the sentence start."""
    return _ITEM_FIGURE_OPEN.search(text, max(0, m.span[0] - 8), m.span[0]) is not None


_ITEM_FIGURE_OPEN: Final = re.compile(r"(?:^|[、：:；;。\n])(?:计划|协议)?(?:总投资|投资)(?:额)?(?:约|达|为)?\s*$")


def _known_subject(names: list[_Name], found: list[_Found], idx: _ArticleIndex) -> bool:
    """The sentence opens with a project already read (a listed item, the headline's)."""
    first = names[0].text
    return first is not None and _match(found, _core(first, idx), None) is not None


def _renamed(text: str, n: _Name) -> _Name:
    q = _QUOTED_AFTER.match(text, n.end)
    if q is None or n.text is None:
        return n
    return _Name(n.start, q.end(), q.group(1), True, n.scope, n.owner, n.anaphor)


_QUOTED_AFTER: Final = re.compile(r"(?:为|是|名为)“([^”]{2,24})”")
_QUOTED_PROJECT: Final = re.compile(r"项目(?:为|是|名为|叫)“([^”]{2,24})”")
# a batch counted in a small Chinese numeral right before its total (两个项目总投资60亿元)
# a total right after a count of firms or projects in the clause before it, or a total whose
# subject is a park's settled firms (入驻企业…总投资): a batch figure, no one project's
_COUNTED_TOTAL: Final = re.compile(
    r"(?:(?:[0-9]+|[两二三四五六七八九十百]+)(?:家|个)(?:企业|项目)?[，,]?|入驻企业[^，,。；;项目]{0,10}[，,]?)"
    r"(?:累计|共计|合计|计划)?(?:总投资|投资总额|总投资额|协议投资额?|合同投资额?|投资额?)[达为约近超逾共]*$"
)
_PROJECT_WORDS: Final = ("项目", "工程", "一期", "二期", "三期")
# 这批项目既有A、B的制造业项目，也有C、D的服务业项目: kinds of projects described, no items
_KINDS_OF_PROJECTS: Final = re.compile(r"既有[^。；;]{1,40}[，,]\s*(?:也|又|还|更)有")
_TOTAL_MARK: Final = re.compile(r"(?:总投资|投资总额|总投资额|计划总投资)[^，,。；;0-9]{0,4}$")
_INCREMENT_MARK: Final = re.compile(r"(?:追加|新增|增资|增加|再投入|续建)[^，,。；;0-9]{0,4}$")


def _pick_amount(text: str, amounts: list[Metric]) -> Metric:
    """The project's figure among several in its sentence: a stated total (总投资高达X) before an
    increment (追加15亿元投资, 新增投资), otherwise the first."""
    best, best_rank = amounts[0], _amount_rank(text, amounts[0])
    for m in amounts[1:]:
        r = _amount_rank(text, m)
        if r < best_rank:  # strictly better: the first of equal rank stays
            best, best_rank = m, r
    return best


def _amount_rank(text: str, m: Metric) -> int:
    before = text[max(0, m.span[0] - 10):m.span[0]]
    if _TOTAL_MARK.search(before) is not None:
        return 0
    return 2 if _INCREMENT_MARK.search(before) is not None else 1


_COUNT_AFTER: Final = re.compile(r"的?(?:[0-9]+|[两二三四五六七八九十百]+)(?:个|项|大)[^，,。；;0-9]{0,6}?(?:项目|工程)")


def _batch_figure(text: str, m: Metric) -> bool:
    """总投资约122亿元的27个项目: a figure told of a counted batch right after it; 共计537个、
    总投资8864亿元的…: or right before it."""
    return _COUNT_AFTER.match(text, m.span[1]) is not None \
        or _COUNT_BEFORE.search(text, max(0, m.span[0] - 16), m.span[0]) is not None


_COUNT_BEFORE: Final = re.compile(r"[0-9]+个[、，,](?:总投资|投资总额|总投资额)[达为约近超逾]*$")


_SMALL_BATCH: Final = re.compile(
    r"(?:[0-9]+|[两二三四五六七八九十]+)(?:个|项|大)[^，,。；;0-9]{0,4}项目[^，,。；;0-9]{0,4}"
    r"(?:总投资|投资总额|总投资额|共计|合计|总额)[达为约近超逾]*$"
)


def _paired_investors(idx: _ArticleIndex, names: list[_Name], s_start: int) -> list[str | None] | None:
    """A与B、C分别签订甲、乙项目 / 邀请到A、B…建设甲、乙: as many companies listed before
    the names as there are named projects, paired in order."""
    named = [n for n in names if n.text is not None]
    if len(named) != len(names):
        return None
    comps = idx.companies_in(s_start, names[0].start)
    if comps and _PARTY_AFTER.search(idx.text, s_start, names[0].start) is not None:
        # A公司、B投资中心分别与某区签约甲和乙: a body among the signing's parties is one of them
        comps = sorted(comps + idx.spans_in(("institution",), comps[0][0], names[0].start), key=_span_start)
    firsts: list[str] = []
    for c in comps:
        if c[2].name not in firsts:
            firsts.append(c[2].name)
    if len(firsts) != len(names):
        return None
    for a, b in zip(comps, comps[1:], strict=False):  # the companies form one list: A、B / A和B
        gap = idx.text[a[1]:b[0]]
        if len(gap) > 2 or gap.strip("、和及与,， ") != "":
            return None
    return list(firsts)


def _event_near(
    triggers: list[_Trigger], sn: int, busy: dict[int, tuple[list[_Trigger], list[Metric]]],
    text: str, idx: _ArticleIndex, sn_start: int = -1,
) -> _Trigger | None:
    """The event a list reports: a real stage word of its sentence (not a plan, not inside
    a name: 天开园), or a 集中开工-style event opening the next sentence, which the list heads."""
    for t in triggers:
        if not t.future and (t.stage != "规划" or text.startswith(_PREPARED, t.start)) and not idx.inner[t.start]:
            return t  # (…等项目前期工作 / 前期项目42个，包括A、B: projects in preparation, listed as such)
    nxt = busy.get(sn + 1)
    for t in nxt[0] if nxt is not None else ():
        if not t.future and text.endswith(_pv().event_words, 0, t.start):
            return t
    if sn_start < 0 or _LIST_REFERS.match(text, sn_start) is None:
        return None
    for back in range(1, _LIST_EVENT_REACH + 1):
        prev = busy.get(sn - back)
        if prev is None or not prev[0]:
            continue  # (其中，产业项目9个，总投资35.6亿元。: figures of the event, told between)
        for t in prev[0]:  # 此次集中开工的10个项目…。项目涵盖A、B、C: the event a sentence before reports
            if not t.future and text.endswith(_pv().event_words, 0, t.start):
                return t
        return None
    return None


_PREPARED: Final = ("前期工作", "前期项目")
_GOAL_BEFORE: Final = re.compile(r"(?:打造成|建设成|建成为|培育成|发展成)为?")
_BATCH_AFTER: Final = re.compile(r"\s*[（(]\s*第?[一二三四五六七八九十0-9]+批(?:次)?\s*[）)]")
# the words that introduce a report's representative projects right before their list
_REPRESENTED_BY: Final = re.compile(r"(?:具有代表性的|有代表性的|代表性项目|代表项目)(?:是|有|包括|为)[：:]?")
_EVENT_TAIL: Final = re.compile(r"等[^。；;]{0,24}?项目[0-9一二三四五六七八九十]+个")
_LIST_EVENT_REACH: Final = 2  # sentences back to the event a 项目涵盖… list refers to


_LIST_REFERS: Final = re.compile(
    r"\s*(?:(?:据了解|据悉|据介绍)[，,]?)?"  # (据了解，22个重点项目包括A、B、C: the event's count, then its list)
    r"(?:(?:这些|上述|此次|本次|其中[，,]?)?(?:[0-9一二三四五六七八九十]+个)?(?:开工|签约|竣工|投产|重点|重大)?项目(?:主要|具体)?"
    r"(?:涵盖|包括|包含|分别是|分别为|有)"
    r"|(?:分别是|分别为|具体是|具体为)[：:]?)"
)


_NORM_SPACE: Final = re.compile(r"\s+")
_PLACE_TYPES: Final = ("government", "region")  # (a park in an event's list is built: a project)


def _row_project(
    text: str, row: Row, idx: _ArticleIndex, money: list[Metric], published: str | None
) -> _Found | None:
    """One table row as one project: each field from its own cell (header columns), else
    the name from the cell ending in a project suffix and the rest from the whole row."""
    v = _pv()
    cells, fields = row.cells, row.fields

    def cell(field_name: str) -> Cell | None:
        i = fields.get(field_name)
        return cells[i] if i is not None and i < len(cells) else None

    name_cell = cell("project")
    if name_cell is None:
        name_cell = next((c for c in cells if v.suffix_re.search(c.text.strip()[-8:])), None)
    if name_cell is None:
        return None
    raw = name_cell.text.strip()
    name = _clean_name_with(raw, idx.appositive_forms()) or None
    inv_cell = cell("investor") or cell("company")
    investor = None
    if inv_cell is not None:
        inside = idx.companies_in(inv_cell.start, inv_cell.end) or idx.spans_in(
            v.investor_types, inv_cell.start, inv_cell.end
        )
        investor = inside[0][2].name if inside else None
    if investor is None:
        ent = _entity_in_name(idx, raw)
        investor = ent.name if ent is not None else None
    if investor is None and inv_cell is None:
        others = [c for c in idx.companies_in(row.start, row.end) if not (name_cell.start <= c[0] < name_cell.end)]
        investor = others[0][2].name if others else None
    specific = name is not None and _specific(name, idx.entities)
    if investor is None and not specific:
        return None
    amt_cell = cell("amount")
    lo, hi = (amt_cell.start, amt_cell.end) if amt_cell is not None else (row.start, row.end)
    amount: Amount | None = None
    for m in money:
        if lo <= m.span[0] and m.span[1] <= hi and not (name_cell.start <= m.span[0] < name_cell.end):
            amount = Amount(m.value, m.unit)
            break
    if amount is None and amt_cell is not None:
        bare = header_amount(amt_cell.text, row.unit)
        if bare is not None:
            amount = Amount(*bare)
    st_cell = cell("stage")
    t_lo, t_hi = (st_cell.start, st_cell.end) if st_cell is not None else (name_cell.end, row.end)
    best = _best([t for t in _triggers(text, t_lo, t_hi) if not t.future])
    loc_cells = [c for c in (cell("park"), cell("region")) if c is not None] or [Cell(row.start, row.end, "")]
    location = None
    for c in loc_cells:
        locs = idx.spans_in(("park",), c.start, c.end) or idx.spans_in(v.location_types, c.start, c.end)
        locs = [x for x in locs if not (name_cell.start <= x[0] < name_cell.end)]
        if locs:
            location = locs[0][2].name
            break
    project = Project(
        name=name or raw, investor=investor, location=location, amount=amount,
        stage=None if best is None else best.stage, span=(row.start, row.end),
        date=find_date(text, row.start, row.end, published),
    )
    return _Found(project, -100 if best is None else best.priority, _core(name or raw, idx))


def _describes_subject(text: str, nm: _Name, s_start: int) -> bool:
    """The name is the predicate of a copula with 的 before it (博望区是全国重要的…生产基地,
    成为全省最大的…产业园): it says what the subject is, it reports no project."""
    lo = _last_end(_CLAUSE_STOP, text, s_start, nm.start)
    head = text[lo:nm.start]
    for w in (*_pv().predicate_words, *_pv().goal_verbs):
        i = head.find(w)
        if i >= 0 and "的" in head[i + len(w):]:
            return True  # (着力打造具有先进水平的…生产基地: a goal, likewise)
    return False


def _recent_mention(
    text: str, sentences: list[tuple[int, int]], sn: int, last_at: int,
    idx: _ArticleIndex, found: list[_Found], date: str | None,
) -> _Found | None:
    """The project named most recently before sentence ``sn`` (at most _ANAPHOR_REACH
    sentences back), newer than the last project already read: the referent of an anaphor.
    A project already read from the article is returned as it is."""
    for k in range(sn - 1, max(-1, sn - 1 - _ANAPHOR_REACH), -1):
        if k <= last_at:
            return None
        a, b = sentences[k]
        if not _has_name_end(text, a, b):
            continue
        in_sentence = _names(text, a, b, idx)
        content = _content_names(text, in_sentence, a)
        named = [
            n for i, n in enumerate(in_sentence)
            if n.text is not None and (n.specific or n.owner) and not n.scope and i not in content
            and not text.startswith(_pv().part_markers, n.start)
        ]
        if not named:
            continue
        nm = named[-1]
        investor = _subsidiary_opener(text, nm) or nm.owner or _pick_investor(idx, nm, a, b, a) \
            or _brand_investor(nm.text or "", idx)
        core = _core(nm.text or "", idx)
        same = _match(found, core, investor, nm.text)
        if same is not None:
            return same
        return _Found(Project(
            name=nm.text, investor=investor, location=_pick_location(idx, nm, a, b),
            amount=None, stage=None, span=(a, b), date=date,
        ), -100, core)
    return None


# a copula between two names: the second says what the first is (X项目是Y公司异地建设项目)
_COPULAS: Final = frozenset(("是", "系", "属于", "是一个", "是一项", "是该市", "是我省", "是我市", "是全省", "是全市"))


# X项目，是某某实施…战略的重要布点项目: a clause opened by a copula right after the name
_COPULA_CLAUSE: Final = re.compile(r"[，,]?(?:是|系|属于)[^，,。；;！？!?]{0,30}?的?")


# 项目投资方为X公司 / 项目业主为X公司: the project just named is X's (a contractor, 承建单位, is not)
_OWNER_STATEMENT: Final = re.compile(
    r"(?:投资方|投资主体|投资企业|业主单位|项目业主|业主|建设单位|建设主体|实施主体|项目单位|投资单位)(?:为|是|[:：])"
)
# 该项目由A公司全资子公司B公司投资建设: the last company before the verb builds it
_REFERENCE_AGENT: Final = re.compile(r"(?:该项目|此项目|项目)由([^，,。；;]{2,60}?)(?:投资建设|投资兴建|独资建设|出资建设)")


# what an owner statement always holds (the gate before its two scans)
_OWNER_GATES: Final = ("投资方", "投资主体", "投资企业", "业主", "建设单位", "建设主体", "实施主体", "项目单位", "投资单位",
                       "投资建设", "投资兴建", "独资建设", "出资建设")


def _owner_statements(
    text: str, sentences: list[tuple[int, int]], idx: _ArticleIndex, found: list[_Found],
) -> None:
    """The investor of the one project named in the sentence or the one before, stated on its own
    (项目投资方为X公司; 该项目由X公司全资子公司Y公司投资建设 → Y), when that project has none yet."""
    starts = [a for a, _ in sentences]
    for m in _OWNER_STATEMENT.finditer(text):
        comps = [c for c in idx.companies_in(m.end(), min(len(text), m.end() + 40)) if c[0] == m.end()]
        if comps:
            _give_investor(found, m.start(), comps[0][2].name, starts)
    for m in _REFERENCE_AGENT.finditer(text):
        comps = idx.companies_in(m.start(1), m.end(1))
        if comps and comps[-1][1] == m.end(1):
            _give_investor(found, m.start(), comps[-1][2].name, starts)


def _give_investor(found: list[_Found], pos: int, investor: str, starts: list[int]) -> None:
    si = bisect.bisect_right(starts, pos) - 1
    near = [
        f for f in found
        if not f.project.aggregate and f.project.name is not None and f.project.span[0] <= pos
        and si - 1 <= bisect.bisect_right(starts, f.project.span[0]) - 1 <= si
    ]
    if len(near) == 1 and near[0].project.investor is None:
        near[0].project.investor = investor


def _joint_parties(text: str, companies: list[tuple[int, int, Entity]]) -> int:
    """How many companies open the sentence's company list read together: each one after the
    last with only 、, 和, 及 or 与 between them (A公司、B公司 → 2); 1 when they stand apart."""
    best = run = 1
    for (_, pe, _), (cs, _, _) in zip(companies, companies[1:], strict=False):
        run = run + 1 if text[pe:cs] in _PARTY_JOINS else 1
        best = max(best, run)
    return best


_PARTY_JOINS: Final = frozenset(("、", "和", "及", "以及", "与"))


def _joined_by_ji(text: str, names: list[_Name]) -> list[_Name]:
    """X总部暨Y区域总部项目: two parts of one project's name joined by 暨 (one project, one
    figure), when the first part names no project of its own (it does not end in 项目/工程)."""
    out = [names[0]]
    for n in names[1:]:
        prev = out[-1]
        if (
            prev.text is not None and n.text is not None and n.start in (prev.end, prev.end + 1)
            and text[prev.end : prev.end + 1] == "暨"
            and not prev.text.endswith(("项目", "工程")) and not prev.scope and not n.scope
        ):
            out[-1] = _Name(prev.start, n.end, text[prev.start : n.end], prev.specific or n.specific, False,
                            prev.owner or n.owner, prev.anaphor)
            continue
        out.append(n)
    return out


def _without_predicate_names(text: str, names: list[_Name]) -> list[_Name]:
    """The names minus those right after a copula that follows another name: "X项目是Y异地建设
    项目" reports one project, X; Y only describes it."""
    out = [names[0]]
    for n in names[1:]:
        prev = out[-1]
        if prev.text is not None and n.text is not None and (
            text[prev.end : n.start] in _COPULAS or _COPULA_CLAUSE.fullmatch(text, prev.end, n.start) is not None
        ):
            continue
        out.append(n)
    return out


def _predicate(text: str, nm: _Name, s_start: int) -> bool:
    """The name stands after a copula of its own clause (…是…的单体项目)."""
    lo = _last_end(_CLAUSE_STOP, text, s_start, nm.start)
    return any(w in text[lo:nm.start] for w in _pv().predicate_words)


def _by_investor(idx: _ArticleIndex, start: int, end: int) -> str | None:
    """该项目由X投资建设: the company after 由 followed by an investing verb; 该项目由某县
    人民政府与X有限公司签约: the company a government body signs it with."""
    text = idx.text
    for cs, ce, ent in idx.companies_in(start, end):
        aside = _ASIDE.match(text, ce)
        after = aside.end() if aside else ce
        if text[cs - 1 : cs] == "由" and text.startswith(_pv().investor_verbs, after):
            return ent.name
        if _GOV_SIGNS.match(text, after) is not None and "由" in text[max(start, cs - 40) : cs]:
            by = text.rfind("由", max(start, cs - 40), cs)
            gov = [g for g in idx.spans_in(("government",), by + 1, cs) if g[0] == by + 1]
            if gov and _PARTY_JOIN.fullmatch(text, gov[0][1], cs) is not None:
                return ent.name
    return None


_ROLE_NAME: Final = re.compile(r"(?:代表|代表性|示范|标杆|样板|旗舰|龙头|引领性|标志性)(?:项目|工程)$")
_GOV_SIGNS: Final = re.compile(r"(?:正式)?(?:签约|签订|签署)")
# 与 + a descriptor of the company (中国500强企业, 知名企业) between the body and the firm
_PARTY_JOIN: Final = re.compile(r"(?:与|和|同)[^，,。；;、\s]{0,12}")


def _agent_after(idx: _ArticleIndex, nm: _Name, end: int) -> str | None:
    """X项目由Y旗下Z有限公司投资建设: the builder the name's own clause gives after 由 (it
    outranks a brand read off the name: the group's brand may open the name of its firm's project)."""
    if nm.text is None or end - nm.end < 3:
        return None
    text = idx.text
    gap = _AGENT_GAP.match(text, nm.end, end)
    if gap is None:
        return None
    at = gap.end()
    comps = idx.companies_in(at, min(end, at + 60))
    k = 0
    while k < len(comps) and comps[k][0] == at:
        cs, ce, ent = comps[k]
        aside = _ASIDE.match(text, ce)
        after = aside.end() if aside else ce
        parent = _PARENT_OF.match(text, after)
        if parent is not None:  # 由某集团旗下 + 某有限公司: the firm the group owns builds it
            at = parent.end()
            k += 1
            continue
        return ent.name if text.startswith(_pv().investor_verbs, after) else None
    return None


def _subsidiary_opener(text: str, nm: _Name) -> str | None:
    """某集团子公司 + 某某年产5万吨…项目: the subsidiary's short name opening the project's name
    (up to its capacity) is the investor, not the parent named before it."""
    if nm.text is None or not text.endswith(_SUBSIDIARY_BEFORE, 0, nm.start):
        return None
    m = _OPENER_END.search(nm.text)
    if m is None or not 2 <= m.start() <= 8 or not _CJK_NAME.fullmatch(nm.text, 0, m.start()):
        return None
    return nm.text[: m.start()]


_SUBSIDIARY_BEFORE: Final = ("子公司", "旗下", "下属企业", "孙公司")
_OPENER_END: Final = re.compile(r"年产|年加工|年处理|新建|[0-9]")
_CJK_NAME: Final = re.compile(r"[\u4e00-\u9fff]+")


_AGENT_GAP: Final = re.compile(r"[，,]?(?:将|拟)?由")
_PARENT_OF: Final = re.compile(r"(?:旗下|下属|所属|的?全资子公司|的?控股子公司)")


_ANAPHOR_REACH: Final = 4  # sentences back to the referent of 这座中心 / 这个…的项目 (quotes sit between)
_REFERENCE_REACH: Final = 2  # sentences after a named project in which 该项目/项目… still means it
# a sentence opening on the project just reported (据了解，此次开工的项目是…), even after the
# lines on who attended
_THIS_REACH: Final = 4
_THIS_PROJECT: Final = re.compile(r"(?:此次|本次|这次|该|这个|这一)(?:开工|签约|投产|竣工|落户|建设)?的?项目(?:是|为|系|属于)")


def _refers_back(text: str, s_start: int) -> bool:
    """A sentence about the project just named: opens with 项目/该项目/一期… ."""
    head = text[s_start:s_start + 8]
    return head.startswith(_pv().reference_prefixes) or bool(_REFERENCE_HEAD.match(head))


_REFERENCE_HEAD: Final = re.compile(r"(?:项目|工程|[一二三四五六七八九十]期)")


_SIGNED_WITH: Final = re.compile(r"(?:与|和|同)$")
_PARTY_GAP_RE: Final = re.compile(r"[、和及](?:[\u4e00-\u9fff]{2,8}?[省市县区])?")
_SIGNED_OF: Final = re.compile(r"(?:签约|签订|签署|合作|共建|投资)(?:的|建设的)$")


def _signed_with(text: str, idx: _ArticleIndex, name_start: int, s_start: int) -> str | None:
    """某开发区与A有限公司签约的X项目: the company the name's own clause signs it with."""
    verb = _SIGNED_OF.search(text, max(s_start, name_start - 6), name_start)
    if verb is None:
        return None
    comps = idx.companies_in(max(s_start, verb.start() - 40), verb.start())
    if not comps or comps[-1][1] != verb.start():
        return None
    k = len(comps) - 1
    while k > 0 and _PARTY_GAP_RE.fullmatch(text, comps[k - 1][1], comps[k][0]) is not None:
        k -= 1  # 与A集团、(某园区)B有限公司签约的X项目: the first of the parties
    c = comps[k]
    if _SIGNED_WITH.search(text, max(s_start, c[0] - 1), c[0]) is None or not _usable(idx, c):
        return None
    return c[2].name


_BUILDS_STAGES: Final = ("开工", "签约")
_SUBJECT_LEAD: Final = re.compile(r"[ \t\u3000\n]*(?:其中|同时|此外|另外)?[，,]?")
_SUBJECT_BUILDS: Final = re.compile(
    r"(?:将|拟|计划|准备)(?P<inv>(?:总)?投资(?:约)?[0-9.]+\s*(?:万亿|千万|亿|万)?元[，,]?)?"
    r"(?:新建|扩建|改扩建|建设|新上|投资建设|建)"
)


def _event_words_in(text: str) -> bool:
    """The article reports an event a company's work can belong to (开工, 签约)."""
    return "开工" in text or "签约" in text


def _subject_builds(
    text: str, idx: _ArticleIndex, s_start: int, s_end: int, money: list[Metric],
) -> tuple[str, Metric | None] | None:
    """The company opening the sentence that will build (X有限公司将投资1.5亿元，扩建…; X有限公司
    将建…车间), with the figure it invests when the sentence says it right there."""
    lead = _SUBJECT_LEAD.match(text, s_start, s_end)
    at = s_start if lead is None else lead.end()
    comps = idx.companies_in(at, min(s_end, at + 40))
    if not comps or comps[0][0] != at or not _usable(idx, comps[0]):
        return None
    m = _SUBJECT_BUILDS.match(text, comps[0][1], s_end)
    if m is None:
        return None
    figure = None
    if m.group("inv") is not None:
        figure = next((x for x in money if m.start("inv") <= x.span[0] < m.end("inv")), None)
    return comps[0][2].name, figure


# 总投资3.1个亿 / 总投资2900万: an investment written without 元, which the metrics leave
_BARE_INVESTMENT: Final = re.compile(
    r"(?P<mark>总投资|投资额|计划投资|协议投资|投资总额)(?:约|达|为|近)?\s*"
    r"(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<scale>个亿|亿|万)(?![元美欧港日英0-9.万亿])"
)
_SCALES: Final = {"个亿": 1e8, "亿": 1e8, "万": 1e4}


def _bare_investments(text: str, money: list[Metric]) -> list[Metric]:
    """Investment figures a page writes without 元 (总投资3.1个亿, 总投资2900万) where no money
    metric stands: amounts of 元 for the projects (the metrics stay as they are)."""
    out: list[Metric] = []
    for m in _BARE_INVESTMENT.finditer(text):
        a, b = m.start("num"), m.end("scale")
        if any(x.span[0] < b and a < x.span[1] for x in money):
            continue
        value = float(m.group("num")) * _SCALES[m.group("scale")]
        out.append(Metric(m.group("mark"), value, "元", text[a:b], (a, b), kind="amount"))
    return out


# 新开工项目9个…其中包括：⏎1、A有限公司，X项目；⏎2、B有限公司，扩建…: numbered lines, one
# company's project each, of the event the intro reports
_NUMBERED_INTRO: Final = re.compile(r"(?:包括|包含|分别是|分别为|主要有|具体如下)[：:][ \t\u3000]*\n")
_NUMBERED_LINE: Final = re.compile(r"[ \t\u3000]*[0-9]{1,2}[、.．)）][ \t\u3000]*")
_INTRO_STAGE: Final = re.compile(r"(开工|签约|竣工|投产)")
_LINE_NAME: Final = re.compile(r"[，,：:]([^，,。；;：:\n]{2,40}?(?:项目|工程))")


def _numbered_company_items(
    text: str, idx: _ArticleIndex, found: list[_Found], money: list[Metric], published: str | None,
) -> None:
    """Numbered lines after an intro that ends its line with 包括： in a sentence reporting an
    event (新开工项目9个，…其中包括：): each line opened by a company is that company's project
    of the event, named when the line names one (A有限公司，年加工…项目；), with the figure the
    line states. Companies that already have a project are left as read."""
    taken = {f.project.investor for f in found if f.project.investor}
    for intro in _NUMBERED_INTRO.finditer(text):
        head_start = text.rfind("\n", 0, intro.start()) + 1  # (the intro's paragraph: 新开工项目9个…。其中包括：)
        stages = _INTRO_STAGE.findall(text, head_start, intro.start())
        if not stages:
            continue
        stage = stages[-1]
        pos = intro.end()
        while pos < len(text):
            num = _NUMBERED_LINE.match(text, pos)
            if num is None:
                break
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            at = num.end()
            comps = idx.companies_in(at, min(line_end, at + 40))
            if comps and comps[0][0] == at and comps[0][2].name not in taken:
                name = comps[0][2].name
                named = _LINE_NAME.search(text, comps[0][1], line_end)
                figure = next(
                    (m for m in money if at <= m.span[0] < line_end and text.find("投资", max(at, m.span[0] - 6), m.span[0]) >= 0),
                    None,
                )
                taken.add(name)
                found.append(_Found(Project(
                    name=None if named is None else named.group(1), investor=name, location=None,
                    amount=_amount(figure), stage=stage, span=(pos, line_end),
                    date=find_date(text, head_start, intro.start(), published),
                ), -100, ""))
            pos = line_end + 1


# a company's work right before the name it builds (A公司在某地投资建设的X项目)
_BUILT_BY: Final = re.compile(r"(?:在[^，,。；;、]{1,12})?(?:投资)?(?:建设|兴建|新建)的$")


def _builder_before(text: str, idx: _ArticleIndex, nm: _Name, s_start: int) -> str | None:
    """The company that builds the name, written right before it (A公司在某地投资建设的X项目)."""
    if nm.text is None:
        return None
    w = _BUILT_BY.search(text, max(s_start, nm.start - 24), nm.start)
    if w is None:
        return None
    comps = idx.companies_in(max(s_start, w.start() - 40), w.start())
    if not comps or comps[-1][1] != w.start() or not _usable(idx, comps[-1]):
        return None
    return comps[-1][2].name


_OWNED_CLAUSE: Final = re.compile(r"(?:有限公司|股份公司|集团)的?[^，,。；;：:]{2,30}?项目[，,；;]")


def _clause_owner(text: str, idx: _ArticleIndex, nm: _Name, s_start: int) -> str | None:
    """The company opening the clause of a specific project's name, written right before it
    (A公司的X项目，… / A公司X项目，…)."""
    if nm.text is None or not nm.specific:
        return None
    inner = [c for c in idx.companies_in(nm.start, nm.end) if c[0] == nm.start and c[1] < nm.end]
    if inner:
        comps = inner  # (the name read with its company: A公司Y项目)
    else:
        end = nm.start - 1 if text.endswith("的", 0, nm.start) else nm.start
        comps = idx.companies_in(max(s_start, end - 40), end)
        if not comps or comps[-1][1] != end:
            return None
    if not _usable(idx, comps[-1]):
        return None
    c0 = comps[-1][0]
    if c0 != s_start and text[c0 - 1 : c0] not in _CLAUSE_OPENING:
        return None
    if not text.startswith(_CLAUSE_OPENING_AFTER, nm.end):
        return None  # (the name must close its own clause: A公司X项目，将打造…)
    return comps[-1][2].name


_CLAUSE_OPENING: Final = ("，", ",", "；", ";", "：", ":", "\n", "。")
_CLAUSE_OPENING_AFTER: Final = ("，", ",", "；", ";", "。")


def _span_start(c: tuple[int, int, Entity]) -> int:
    return c[0]


_PARTY_AFTER: Final = re.compile(r"(?:分别|共同)?与[^，,。；;]{2,30}?签")


def _signing_party(text: str, nm: _Name, idx: _ArticleIndex) -> bool:
    """A body's name (某某投资中心) read as a name, standing as a party of the signing that
    follows it (…中心分别与某区签约X): no project."""
    if nm.text is None or _PARTY_AFTER.match(text, nm.end) is None:
        return False
    if nm.text.endswith(_BODY_ENDS):
        return True
    return any(a == nm.start and b == nm.end for a, b, _ in idx.spans_in(("institution", "company"), nm.start, nm.end))


_BODY_ENDS: Final = ("中心", "研究院", "研究所", "基金")


def _coordinated(text: str, a: _Name, b: _Name) -> bool:
    gap = text[a.end:b.start]
    if not gap and b.start < len(text):
        gap = text[b.start]  # (the second name's span may open on the coordinator it trimmed)
    return len(gap) == 1 and gap in "、和及与" or len(gap) == 3 and gap[0] in "和及与" and gap[1:] in _JOINED_VERBS


# 签订了X项目和建设Y项目: a building verb after the coordinator opens the second name's phrase
_JOINED_VERBS: Final = frozenset(("建设", "新建", "扩建"))


def _is_part(text: str, nm: _Name, idx: _ArticleIndex, last: _Found | None, distance: int) -> bool:
    if last is None or distance > _REFERENCE_REACH or nm.text is None:
        return False
    if not text.startswith(_pv().part_markers, nm.start):
        return False
    return _entity_in_name(idx, nm.text) is None


def _is_batch_name(name: _Name, batch: Metric) -> bool:
    after = 0 <= name.start - batch.span[1] <= 4
    before = 0 <= batch.span[0] - name.end <= 4
    return after or before
