"""Fuzz the table readers: CSV (``ingest.tables.csv_rows``) and XLSX (``xlsx_rows``) raise nothing
but ``InputRejected``; rows become articles whose cell offsets lie inside their text.
Run: see _harness.py."""

from __future__ import annotations

import io
import zipfile

from _harness import DEMO, run, text_of

from chainatlas.errors import InputRejected
from chainatlas.ingest.tables import articles_from_rows, csv_rows, xlsx_rows


def _rows_ok(rows: list[list[str]]) -> None:
    for art in articles_from_rows("fuzz.csv", rows):
        for field, (start, end) in art.meta["table_cells"].items():
            assert 0 <= start <= end <= len(art.text), (rows[:3], field)
            assert art.text[start:end] == art.meta["table_row"][field], (rows[:3], field)


def _xlsx_from(data: bytes) -> bytes:
    """Half the inputs as the sheet XML of the demo workbook (so the fuzzer reaches the cell reader,
    not only the zip checks), the other half as raw bytes."""
    base = (DEMO / "companies.xlsx").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                body = data
            dst.writestr(info.filename, body)
    return out.getvalue()


def one_input(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0] % 3, data[1:]
    try:
        if mode == 0:
            rows = csv_rows(text_of(body))
        elif mode == 1:
            rows = xlsx_rows(_xlsx_from(body))
        else:
            rows = xlsx_rows(body)
        _rows_ok(rows)
    except InputRejected:
        return


if __name__ == "__main__":
    seeds = [b"\x00" + (DEMO / "companies.csv").read_bytes(), b"\x00" + (DEMO / "projects.csv").read_bytes()]
    with zipfile.ZipFile(DEMO / "companies.xlsx") as z:
        sheet = next(n for n in z.namelist() if n.endswith("sheet1.xml"))
        seeds.append(b"\x01" + z.read(sheet))
    seeds.append(b"\x02" + (DEMO / "projects.xlsx").read_bytes())
    run("tables", one_input, seeds)
