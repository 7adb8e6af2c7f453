"""Jinja2 template of the printable briefing (kept in Python so it ships with the package).

Layout for a reader with ten minutes: a summary box with the key numbers and the conclusions,
then the chain × segment coverage matrix, gaps, the top of the three lists, the project
pipeline (stalled first, each with its reason and newest report), figure checks and flows;
per-chain detail is an appendix.  Print CSS: A4, page numbers, table headers repeated on each
page, rows and quotes never split, major sections start on a new page.
"""

from __future__ import annotations

REPORT_TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{{ region }}{% if chain %}·{{ chain }}{% endif %} 产业链简报</title>
<style>
@page{size:A4;margin:16mm 14mm 18mm 14mm;
  @bottom-center{content:"{{ region }}产业链简报 · 第 " counter(page) " 页";font-size:9pt;color:#777}}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;
  margin:2em auto;color:#222;max-width:60em;line-height:1.5;font-size:10.5pt}
h1{font-size:1.7em;border-bottom:3px solid #3b6ea8;margin-bottom:.2em}
h2{font-size:1.25em;margin-top:1.4em;color:#fff;background:#3b6ea8;padding:.15em .5em;break-after:avoid}
h3{font-size:1.05em;margin:1em 0 .3em;color:#3b6ea8;break-after:avoid}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.4em 0}
th,td{border:1px solid #c8d3e0;padding:.25em .45em;vertical-align:top}
th{background:#eef3f9;font-weight:600}thead{display:table-header-group}tr{break-inside:avoid}
.q{font-size:.82em;color:#555;margin:.2em 0 .1em;border-left:2px solid #c8d3e0;padding-left:.4em}
.q cite{color:#888;font-style:normal}
.bad{color:#b00020;font-weight:bold}.ok{color:#1b7a3a}.muted{color:#888}.num{text-align:right;white-space:nowrap}
.summary{display:flex;flex-wrap:wrap;gap:.5em;margin:.8em 0}
.card{flex:1 1 8.5em;border:1px solid #c8d3e0;border-radius:4px;padding:.4em .6em;background:#f7f9fc;break-inside:avoid}
.card b{display:block;font-size:1.5em;color:#3b6ea8}.card.alert b{color:#b00020}
.points{background:#f7f9fc;border:1px solid #c8d3e0;padding:.5em 1em .5em 2em;margin:.5em 0}
.matrix td{text-align:center}.matrix td.chain{text-align:left;white-space:nowrap;font-weight:600}
.h0{background:#f6d5d5;color:#8a1c1c}.h1{background:#dfe9f5}.h2{background:#a9c4e6}.h3{background:#5f8fc9;color:#fff}
.na{background:#eee;color:#aaa}.legend span{display:inline-block;padding:0 .5em;margin-right:.3em;font-size:.85em}
.tag{display:inline-block;border:1px solid #b00020;color:#b00020;border-radius:3px;padding:0 .3em;font-size:.85em}
svg{display:block;margin:.3em 0;max-width:100%}
.pb{break-before:page}.nw{white-space:nowrap}td.name{min-width:7.5em}td.stage{white-space:nowrap;font-size:.9em}
@media print{body{margin:0;max-width:none;font-size:9.5pt}h2{margin-top:.8em}a{color:inherit;text-decoration:none}}
</style></head><body>
{% macro quote(qs, n=1) %}{% for q in (qs or [])[:n] %}<div class="q">“{{ q.text }}”<cite> —— {{ q.title or '无标题' }}{% if q.published %}，{{ q.published }}{% endif %}{% if q.source %}（{{ q.source|source_name }}）{% endif %}</cite></div>{% endfor %}{% endmacro %}
<h1>{{ region }}{% if chain %}·{{ chain }}{% endif %} 产业链简报</h1>
<p class="muted">生成日期 {{ today }}{% if as_of %}；项目进展按库内最新项目报道日期 {{ as_of }} 判断{% endif %}；每项数据附原文引文与出处，可逐条核对。</p>

<div class="summary">
<div class="card"><b>{{ summary.chains_present }}/{{ summary.chains }}</b>有布局的产业链</div>
<div class="card"><b>{{ summary.segments_covered }}/{{ summary.segments }}</b>已覆盖环节</div>
<div class="card"><b>{{ summary.companies }}</b>链上企业</div>
<div class="card"><b>{{ summary.projects }}</b>跟踪项目{% if summary.investment %}<br><span class="muted">{{ summary.investment|yi }}</span>{% endif %}</div>
<div class="card{{ ' alert' if summary.stalled }}"><b>{{ summary.stalled }}</b>停滞项目</div>
<div class="card{{ ' alert' if summary.absent }}"><b>{{ summary.absent }}+{{ summary.weak }}</b>缺失+薄弱环节</div>
<div class="card{{ ' alert' if summary.inconsistent }}"><b>{{ summary.inconsistent }}/{{ summary.checks }}</b>数据不一致</div>
</div>
<ul class="points">
{% if strongest %}<li>布局最完整的产业链：{{ strongest|join('、') }}。</li>{% endif %}
{% if gaps %}<li>首要短板：{% for g in gaps[:3] %}{{ g.chain_label }}{{ g.segment_label }}（{{ g.label }}）{{ '缺失' if g.status == 'absent' else '薄弱' }}{{ '；' if not loop.last }}{% endfor %}。</li>{% endif %}
{% if key %}<li>重点企业：{{ key[:3]|map(attribute='company')|join('、') }}。</li>{% endif %}
{% if stalled %}<li>{{ stalled|length }} 个项目超过期限无新进展，需跟进：{{ stalled[:3]|map(attribute='name')|map('default', '未命名项目', true)|join('、') }}{{ ' 等' if stalled|length > 3 }}。</li>{% endif %}
{% if targets %}<li>招商方向：{% for g in targets[:2] %}{{ g.chain_label }}{{ g.segment_label }}可对接 {{ g.candidates[:2]|map(attribute='company')|join('、') }}{{ '；' if not loop.last }}{% endfor %}。</li>{% endif %}
</ul>

<h2>一、产业链覆盖矩阵</h2>
<p class="muted legend">格内为企业、机构和项目数；<span class="h0">0 缺失</span><span class="h1">1–2 薄弱</span><span class="h2">3–5</span><span class="h3">6 及以上</span></p>
<table class="matrix"><thead><tr><th>产业链</th><th>上游</th><th>中游</th><th>下游</th><th>未定环节</th><th>企业</th><th>项目</th><th>投资额</th></tr></thead>
{% for r in matrix %}<tr><td class="chain">{{ r.label }}</td>
{% for c in r.cells %}{% if c.present %}<td class="{{ c.heat }}" title="{{ c.label }}">{{ c.n }}</td>{% else %}<td class="na">—</td>{% endif %}{% endfor %}
<td>{{ r.unplaced or '' }}</td><td class="num">{{ r.companies }}</td><td class="num">{{ r.projects }}</td><td class="num">{{ r.investment|yi }}</td></tr>{% endfor %}
</table>
{% if chains_svg %}<h3>各产业链主体数量</h3>{{ chains_svg }}{% endif %}

<h2>二、薄弱与缺失环节</h2>
{% if gaps %}<table><thead><tr><th>产业链</th><th>环节</th><th>状态</th><th>说明</th></tr></thead>
{% for g in gaps[:15] %}<tr><td class="nw">{{ g.chain_label }}</td><td>{{ g.segment_label }}·{{ g.label }}</td>
<td class="bad nw">{{ '缺失' if g.status == 'absent' else '薄弱' }}</td><td>{{ g.why }}{{ quote(g.quotes) }}</td></tr>{% endfor %}
</table>{% if gaps|length > 15 %}<p class="muted">另有 {{ gaps|length - 15 }} 个环节未列出。</p>{% endif %}
{% else %}<p class="muted">未发现薄弱或缺失环节。</p>{% endif %}

<h2 class="pb">三、链上重点企业清单</h2>
{% if key %}{{ key_svg }}
<table><thead><tr><th>#</th><th>企业</th><th>产业链环节</th><th>得分</th><th>依据</th></tr></thead>
{% for r in key[:10] %}<tr><td>{{ r.rank }}</td><td class="name">{{ r.company }}</td><td>{{ r.segments|join('、') }}</td><td class="num">{{ r.score }}</td>
<td>{{ r.reasons|join('；') }}{{ quote(r.quotes) }}</td></tr>{% endfor %}</table>
{% if key|length > 10 %}<p class="muted">另有 {{ key|length - 10 }} 家企业见 chainatlas lists 导出。</p>{% endif %}
{% else %}<p class="muted">该地区暂无可排名的链上企业。</p>{% endif %}

<h2>四、卡点技术攻关清单</h2>
{% if tech %}<table><thead><tr><th>#</th><th>技术/产品</th><th>产业链环节</th><th>提及</th><th>引文</th></tr></thead>
{% for t in tech[:10] %}<tr><td>{{ t.rank }}</td><td class="nw">{{ t.technology }}</td><td>{{ t.segments|join('、') }}</td><td class="num">{{ t.count }}</td>
<td>{{ quote(t.quotes) }}</td></tr>{% endfor %}</table>
{% else %}<p class="muted">未发现“卡脖子”“攻关”等卡点技术表述。</p>{% endif %}

<h2>五、堵点招商引资清单</h2>
{% for g in targets[:8] %}<h3>{{ g.chain_label }} · {{ g.segment_label }}（{{ g.label }}）<span class="tag">{{ '缺失' if g.status == 'absent' else '薄弱' }}</span></h3>
<table><thead><tr><th>候选企业</th><th>所在地</th><th>得分</th><th>理由</th></tr></thead>
{% for c in g.candidates[:3] %}<tr><td class="name">{{ c.company }}</td><td class="nw">{{ c.home_region or '—' }}</td><td class="num">{{ c.score }}</td>
<td>{{ c.reasons|join('；') }}{{ quote(c.quotes) }}</td></tr>{% endfor %}</table>
{% else %}<p class="muted">暂无可对接的外地候选企业。</p>{% endfor %}

<h2 class="pb">六、项目进展</h2>
{% if pipeline %}<p>共跟踪 {{ pipeline|length }} 个项目，其中 <span class="{{ 'bad' if stalled else 'ok' }}">{{ stalled|length }} 个停滞</span>。各阶段项目数：</p>
{{ stage_svg }}
{% if stalled %}<h3>停滞项目（超过期限无新报道或停留在同一阶段）</h3>
<table><thead><tr><th>项目</th><th>投资方</th><th>投资额</th><th class="nw">阶段</th><th>停滞原因与最近报道</th></tr></thead>
{% for p in stalled %}<tr><td class="name">{{ p.name or '—' }}</td><td class="name">{{ p.investor or '—' }}</td><td class="num">{{ p.amount|amount }}</td><td class="stage">{{ p.stage or '—' }}</td>
<td><span class="bad">{{ p.stalled_reason }}</span>{{ quote([p.last_quote] if p.last_quote else p.quotes) }}</td></tr>{% endfor %}</table>{% endif %}
{% if moving %}<h3>推进中与已建成项目</h3>
<table><thead><tr><th>项目</th><th>投资方</th><th>投资额</th><th class="nw">阶段历程</th><th>最近报道</th></tr></thead>
{% for p in moving %}<tr><td class="name">{{ p.name or '—' }}</td><td class="name">{{ p.investor or '—' }}</td><td class="num">{{ p.amount|amount }}</td>
<td class="stage">{{ (p.stages or [p.stage or '—'])|join('→') }}</td><td>{{ p.last_report or p.last_update or '—' }}{{ quote([p.last_quote] if p.last_quote else p.quotes) }}</td></tr>{% endfor %}</table>{% endif %}
{% else %}<p class="muted">该地区暂无项目报道。</p>{% endif %}

<h2>七、数据核验</h2>
{% if checks %}<p class="muted">报道中的增速、占比、合计等数字按同文给出的基数复算；容差内为一致。</p>
<table><thead><tr><th class="nw">类型</th><th class="nw">陈述值</th><th class="nw">复算值</th><th class="nw">结论</th><th>引文</th></tr></thead>
{% for c in checks %}<tr><td class="nw">{{ {'cagr':'年均增速','growth':'增速','share':'占比','duplicate':'重复数字'}.get(c.check, c.check) }}</td><td class="num">{{ c.stated }}{{ c.unit if c.unit == '%' }}</td><td class="num">{{ c.recomputed if c.recomputed is not none else '—' }}{{ c.unit if c.unit == '%' and c.recomputed is not none }}</td>
<td class="nw {{ 'ok' if c.verdict == 'consistent' else 'bad' }}">{{ {'consistent':'一致','inconsistent':'不一致','insufficient':'数据不足'}[c.verdict] }}</td>
<td>{{ quote(c.quotes, 2) }}</td></tr>{% endfor %}</table>
{% else %}<p class="muted">未发现可复算的数字表述。</p>{% endif %}

<h2>八、跨区域流动</h2>
{% if flows %}{{ flows_svg }}
<table><thead><tr><th>来源地</th><th>目的地</th><th>次数</th><th>类型</th><th>引文</th></tr></thead>
{% for f in flows %}<tr><td>{{ f.source }}</td><td>{{ f.target }}</td><td class="num">{{ f.count }}</td><td class="nw">{{ f.kinds.keys()|join('、') }}</td>
<td>{{ quote(f.quotes) }}</td></tr>{% endfor %}</table>
{% else %}<p class="muted">未发现与该地区相关的跨区域投资、迁移或合作。</p>{% endif %}

{% if details %}<h2 class="pb">附录：各产业链环节明细</h2>
{% for ch in details %}<h3>{{ ch.label }}</h3>
<table><thead><tr><th>环节</th><th>企业</th><th>机构/园区</th><th>项目</th><th>投资额</th><th>代表主体</th></tr></thead>
{% for s in ch.segments %}<tr><td>{{ s.segment_label }}·{{ s.label }}</td><td class="num">{{ s.total.companies }}</td><td class="num">{{ s.total.institutions }}</td>
<td class="num">{{ s.total.projects }}</td><td class="num">{{ s.total.investment|yi }}</td>
<td>{{ (s.total.company_names + s.total.project_names)[:5]|join('、') or '—' }}{{ quote(s.total.quotes) }}</td></tr>{% endfor %}
</table>{% endfor %}{% endif %}
</body></html>
"""
