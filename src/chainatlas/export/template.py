"""Jinja2 template of the printable briefing (kept in Python so it ships with the package)."""

from __future__ import annotations

REPORT_TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{{ region }}{% if chain %}·{{ chain }}{% endif %} 产业链简报</title>
<style>
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;max-width:60em}
h1{font-size:1.6em;border-bottom:3px solid #3b6ea8}h2{font-size:1.25em;margin-top:1.6em;color:#3b6ea8}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:.5em 0}th,td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}
th{background:#eef3f9}.q{font-size:.8em;color:#555;margin:.2em 0 .4em 0}.q cite{color:#888;font-style:normal}
.bad{color:#b00020;font-weight:bold}.ok{color:#1b7a3a}.muted{color:#888}
@media print{body{margin:1cm}h2{page-break-after:avoid}table{page-break-inside:auto}}
</style></head><body>
{% macro quote(qs, n=1) %}{% for q in (qs or [])[:n] %}<div class="q">“{{ q.text }}”<cite> —— {{ q.title or '无标题' }}{% if q.source %}（{{ q.source }}）{% endif %} [{{ q.start }}–{{ q.end }}]</cite></div>{% endfor %}{% endmacro %}
<h1>{{ region }}{% if chain %}·{{ chain }}{% endif %} 产业链简报</h1>
<p class="muted">生成日期 {{ today }}；每项数据下方附原文引文与出处。</p>

<h2>一、产业链覆盖</h2>
{% for ch in charts %}
<h3>{{ ch.chain.label }}</h3>
{{ ch.svg }}
<table><tr><th>环节</th><th>企业</th><th>机构/园区</th><th>项目</th><th>投资额</th><th>代表主体</th></tr>
{% for s in ch.chain.segments %}<tr><td>{{ s.segment_label }}·{{ s.label }}</td><td>{{ s.total.companies }}</td><td>{{ s.total.institutions }}</td>
<td>{{ s.total.projects }}</td><td>{{ s.total.investment|yi }}</td>
<td>{{ (s.total.company_names + s.total.project_names)[:5]|join('、') }}{{ quote(s.total.quotes) }}</td></tr>{% endfor %}
</table>
{% else %}<p class="muted">该地区暂无已映射到产业链的企业或项目。</p>{% endfor %}

<h2>二、薄弱与缺失环节</h2>
{% if gaps %}<table><tr><th>产业链</th><th>环节</th><th>状态</th><th>说明</th></tr>
{% for g in gaps %}<tr><td>{{ g.chain_label }}</td><td>{{ g.segment_label }}·{{ g.label }}</td>
<td class="bad">{{ '缺失' if g.status == 'absent' else '薄弱' }}</td><td>{{ g.why }}{{ quote(g.quotes) }}</td></tr>{% endfor %}
</table>{% else %}<p class="muted">未发现薄弱或缺失环节。</p>{% endif %}

<h2>三、链上重点企业清单</h2>
{{ key_svg }}
<table><tr><th>#</th><th>企业</th><th>产业链环节</th><th>得分</th><th>依据</th></tr>
{% for r in key %}<tr><td>{{ r.rank }}</td><td>{{ r.company }}</td><td>{{ r.segments|join('、') }}</td><td>{{ r.score }}</td>
<td>{{ r.reasons|join('；') }}{{ quote(r.quotes) }}</td></tr>{% endfor %}</table>

<h2>四、卡点技术攻关清单</h2>
<table><tr><th>#</th><th>技术/产品</th><th>产业链环节</th><th>次数</th><th>引文</th></tr>
{% for t in tech %}<tr><td>{{ t.rank }}</td><td>{{ t.technology }}</td><td>{{ t.segments|join('、') }}</td><td>{{ t.count }}</td>
<td>{{ quote(t.quotes) }}</td></tr>{% endfor %}</table>

<h2>五、堵点招商引资清单</h2>
{% for g in targets %}<h3>{{ g.chain_label }} · {{ g.segment_label }}（{{ g.label }}）</h3>
{% if g.candidates %}<table><tr><th>候选企业</th><th>所在地</th><th>得分</th><th>理由</th></tr>
{% for c in g.candidates %}<tr><td>{{ c.company }}</td><td>{{ c.home_region }}</td><td>{{ c.score }}</td>
<td>{{ c.why }}；{{ c.reasons|join('；') }}{{ quote(c.quotes) }}</td></tr>{% endfor %}</table>
{% else %}<p class="muted">暂无其他地区候选企业。</p>{% endif %}{% endfor %}

<h2>六、项目进展</h2>
<table><tr><th>项目</th><th>投资方</th><th>阶段</th><th>最近更新</th><th>状态</th></tr>
{% for p in pipeline %}<tr><td>{{ p.name or '—' }}</td><td>{{ p.investor or '—' }}</td><td>{{ p.stage or '—' }}</td>
<td>{{ p.last_update or '—' }}</td><td>{% if p.stalled %}<span class="bad">停滞</span> {{ p.stalled_reason }}{% else %}<span class="ok">推进中</span>{% endif %}{{ quote(p.quotes) }}</td></tr>{% endfor %}
</table>

<h2>七、数据核验</h2>
<table><tr><th>类型</th><th>陈述值</th><th>复算值</th><th>结论</th><th>引文</th></tr>
{% for c in checks %}<tr><td>{{ c.check }}</td><td>{{ c.stated }}</td><td>{{ c.recomputed if c.recomputed is not none else '—' }}</td>
<td class="{{ 'ok' if c.verdict == 'consistent' else 'bad' }}">{{ {'consistent':'一致','inconsistent':'不一致','insufficient':'数据不足'}[c.verdict] }}</td>
<td>{{ quote(c.quotes, 3) }}</td></tr>{% endfor %}</table>

<h2>八、跨区域流动</h2>
<table><tr><th>来源地</th><th>目的地</th><th>次数</th><th>类型</th><th>引文</th></tr>
{% for f in flows %}<tr><td>{{ f.source }}</td><td>{{ f.target }}</td><td>{{ f.count }}</td><td>{{ f.kinds.keys()|join('、') }}</td>
<td>{{ quote(f.quotes) }}</td></tr>{% endfor %}</table>
</body></html>
"""
