"""District names shared by several cities (南山区: 深圳 and 鹤岗) are handled as such."""

from __future__ import annotations

from chainatlas.analysis.common import load_regions


def test_shared_district_name_has_every_reading() -> None:
    regions = load_regions()
    assert regions.is_ambiguous("南山区")
    readings = {path[1] for path in regions.paths("南山区")}
    assert {"深圳", "鹤岗"} <= readings
    assert regions.within("南山区", "深圳") and regions.within("南山区", "鹤岗")
    assert not regions.is_ambiguous("西青区")
    assert not regions.within("西青区", "深圳")


def test_table_row_in_a_shared_district_is_not_a_flow(tmp_path) -> None:
    from chainatlas.analysis import flows
    from chainatlas.pipeline import ingest_targets
    from chainatlas.settings import Settings
    from chainatlas.store import Store

    table = tmp_path / "companies.csv"
    table.write_text("企业名称,所属产业链,所在区\n深圳云帆机器人科技有限公司,机器人,南山区\n", encoding="utf-8")
    db = tmp_path / "s.db"
    store = Store.open(str(db))
    try:
        report = ingest_targets([str(table)], store, Settings(db_path=str(db)), progress=False)
        assert not report.errors
        edges = flows(store.conn)
    finally:
        store.close()
    assert not [e for e in edges if "深圳云帆机器人科技有限公司" in e["companies"]]
