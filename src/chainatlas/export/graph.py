"""The atlas graph (chain → segment → company/project) as JSON, GraphML and CSV edge lists."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from chainatlas.analysis.common import effective_mappings, load_subjects
from chainatlas.chains.taxonomy import SEGMENT_LABELS, Taxonomy

NODE_KEYS = ("label", "kind", "region", "chain", "segment")


def atlas_graph(conn: sqlite3.Connection, taxonomy: Taxonomy) -> dict[str, list[dict[str, Any]]]:
    """Nodes (chain, segment, company/institution/park/project) and edges with confidences."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    for c in taxonomy:
        nodes[f"chain:{c.id}"] = {"id": f"chain:{c.id}", "label": c.label, "kind": "chain", "chain": c.id}
        for seg in c.segments.values():
            sid = f"segment:{c.id}:{seg.name}"
            nodes[sid] = {"id": sid, "label": f"{c.label}·{SEGMENT_LABELS[seg.name]}（{seg.label}）",
                          "kind": "segment", "chain": c.id, "segment": seg.name}
            edges.append({"source": f"chain:{c.id}", "target": sid, "kind": "has_segment", "confidence": 1.0})
        for link in c.links:
            edges.append({"source": f"chain:{c.id}", "target": f"chain:{link['chain']}",
                          "kind": f"link:{link['relation']}", "confidence": 1.0})
    subjects = load_subjects(conn)
    for m in effective_mappings(conn):
        subj = subjects.get((m["subject_kind"], m["subject_id"]))
        if subj is None or m["chain"] not in taxonomy.chains:
            continue
        nid = f"{subj.kind}:{subj.id}"
        nodes.setdefault(nid, {"id": nid, "label": subj.name, "kind": subj.type or "project",
                               "region": subj.places[0] if subj.places else None})
        target = f"segment:{m['chain']}:{m['segment']}" if m["segment"] else f"chain:{m['chain']}"
        edges.append({"source": target, "target": nid, "kind": "member", "confidence": float(m["confidence"]),
                      "origin": m["origin"]})
    return {"nodes": list(nodes.values()), "edges": edges}


def write_graphml(path: str | Path, graph: dict[str, list[dict[str, Any]]]) -> Path:
    """Plain-XML GraphML (no dependency); node attributes label/kind/region/chain/segment."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    for k in NODE_KEYS:
        lines.append(f'  <key id="{k}" for="node" attr.name="{k}" attr.type="string"/>')
    lines.append('  <key id="ekind" for="edge" attr.name="kind" attr.type="string"/>')
    lines.append('  <key id="confidence" for="edge" attr.name="confidence" attr.type="double"/>')
    lines.append('  <graph id="chainatlas" edgedefault="directed">')
    for n in graph["nodes"]:
        lines.append(f"    <node id={quoteattr(n['id'])}>")
        for k in NODE_KEYS:
            if n.get(k) is not None:
                lines.append(f'      <data key="{k}">{escape(str(n[k]))}</data>')
        lines.append("    </node>")
    for i, e in enumerate(graph["edges"]):
        lines.append(f"    <edge id=\"e{i}\" source={quoteattr(e['source'])} target={quoteattr(e['target'])}>")
        lines.append(f'      <data key="ekind">{escape(str(e["kind"]))}</data>')
        lines.append(f'      <data key="confidence">{float(e.get("confidence", 1.0)):g}</data>')
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>"]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def graph_text(graph: dict[str, list[dict[str, Any]]], fmt: str) -> str:
    """The graph as one text for standard output: GraphML, JSON, or CSV (nodes, a blank line, edges)."""
    import io
    import tempfile

    if fmt == "json":
        return json.dumps(graph, ensure_ascii=False, indent=2) + "\n"
    if fmt == "graphml":
        with tempfile.TemporaryDirectory() as tmp:
            return write_graphml(Path(tmp) / "g.graphml", graph).read_text(encoding="utf-8")
    if fmt == "csv":
        parts = []
        for part, cols in (("nodes", ["id", *NODE_KEYS]), ("edges", ["source", "target", "kind", "confidence"])):
            buf = io.StringIO()
            w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
            w.writeheader()
            w.writerows(graph[part])
            parts.append(buf.getvalue())
        return "\n".join(parts)
    raise ValueError(f"unsupported graph format {fmt!r}: use graphml, json or csv")


def write_graph(path: str | Path, graph: dict[str, list[dict[str, Any]]], fmt: str) -> list[Path]:
    """fmt graphml | json | csv (csv → PATH_nodes.csv and PATH_edges.csv)."""
    path = Path(path)
    if fmt == "graphml":
        return [write_graphml(path, graph)]
    if fmt == "json":
        path.write_text(json.dumps(graph, ensure_ascii=False, indent=2), encoding="utf-8")
        return [path]
    if fmt == "csv":
        out = []
        for part, cols in (("nodes", ["id", *NODE_KEYS]), ("edges", ["source", "target", "kind", "confidence"])):
            p = path.with_name(f"{path.stem}_{part}.csv")
            with p.open("w", encoding="utf-8-sig", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
                w.writeheader()
                w.writerows(graph[part])
            out.append(p)
        return out
    raise ValueError(f"unsupported graph format {fmt!r}: use graphml, json or csv")
