"""Figures for docs/reliability.md: each hostile input through the stage it attacks, in a fresh
process, with wall time and peak memory.  Not a test (timings belong to no test):

    CHAINATLAS_PURE_PYTHON=1 .venv/bin/python -m tests.reliability.measure
"""

from __future__ import annotations

import subprocess
import sys
import time

CASES = {
    "nested_html_1.1MB": "from tests.reliability.hostile import nested_html\n"
                         "from chainatlas.clean import clean_document\n"
                         "from chainatlas.model import DecodedDocument\n"
                         "doc = DecodedDocument('x.html', nested_html(100_000), 'utf-8', 'html', '0')\n"
                         "t = time.perf_counter(); arts = clean_document(doc)\n"
                         "out = {'articles': len(arts)}",
    "long_line_1MB_clean_extract_map": "from tests.reliability.hostile import long_line\n"
                                       "from chainatlas.pipeline import Processor\n"
                                       "from chainatlas.model import RawDocument\n"
                                       "p = Processor()\n"
                                       "raw = RawDocument('x.txt', long_line(1_000_000).encode(), 'text/plain')\n"
                                       "t = time.perf_counter(); r = p.process(raw)\n"
                                       "out = {'articles': len(r.articles)}",
    "xlsx_bomb_122KB_1M_cells": "from tests.reliability.hostile import xlsx\n"
                                "from chainatlas.ingest.tables import xlsx_rows\n"
                                "from chainatlas.errors import InputRejected\n"
                                "data = xlsx([['企业名称', '所在区']], repeat_row=['甲方科技有限公司', '南开'] * 50,"
                                " times=10_000)\n"
                                "t = time.perf_counter()\n"
                                "try:\n    xlsx_rows(data); out = {'result': 'read'}\n"
                                "except InputRejected as e:\n    out = {'result': e.reason[:60], 'bytes': len(data)}",
    "csv_unterminated_quote": "from chainatlas.ingest.tables import csv_rows\n"
                              "from chainatlas.errors import InputRejected\n"
                              "text = '企业名称,所在区\\n甲方科技有限公司,\"滨海\\n' + '乙方科技有限公司,南开\\n' * 1000\n"
                              "t = time.perf_counter()\n"
                              "try:\n    csv_rows(text); out = {'result': 'read'}\n"
                              "except InputRejected as e:\n    out = {'result': e.reason[:40]}",
}

RUNNER = "import time, json, resource\n{body}\nout['seconds'] = round(time.perf_counter() - t, 2)\n" \
         "out['peak_rss_mb'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n" \
         "print(json.dumps(out, ensure_ascii=False))"


def main() -> None:
    for name, body in CASES.items():
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", RUNNER.format(body=body)], capture_output=True, text=True,
                              timeout=600)
        line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-300:]
        print(f"{name}: {line} (process {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
