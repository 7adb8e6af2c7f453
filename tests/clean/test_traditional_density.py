"""A Simplified page is not converted for a stray character t2s would rewrite (issue #10, round 9):
OpenCC's t2s turns 昇 into 升 and 乾 into 干, so converting a Simplified page that holds such a
name (某昇半导体, 乾某科技) changes the name; a Traditional page is still converted whole."""

from __future__ import annotations

from chainatlas.clean import clean_text, is_traditional, to_simplified


def test_a_simplified_page_keeps_a_names_stray_character() -> None:
    text = "青湾园区当天签约8个项目，其中新昇集成电路硅材料工程研发中心项目总投资12亿元，乾坤智造等企业参加签约。"
    assert not is_traditional(text)
    assert to_simplified(text) == text
    (art,) = clean_text(text, "t")
    assert "新昇" in art.text and "乾坤" in art.text


def test_a_traditional_page_is_still_converted_with_its_vocabulary() -> None:
    text = "該園區今年引進積體電路企業十二家，資訊服務業營收增長百分之八，晶片產能持續擴大。"
    assert is_traditional(text)
    out = to_simplified(text)
    assert "集成电路" in out and "信息" in out and "芯片" in out and "园区" in out


def test_a_short_traditional_title_follows_its_page() -> None:
    body = "該園區今年引進積體電路企業十二家，產值增長百分之八。"
    (art,) = clean_text(body, "t", title_hint="園區積體電路產業加快發展")
    assert art.title is None or "园区" in art.title
    assert "园区" in art.text


def test_a_simplified_title_with_a_stray_character_is_kept_with_its_simplified_page() -> None:
    body = "青湾园区当天签约8个项目，总投资56亿元，涵盖集成电路材料和装备等领域。"
    (art,) = clean_text(body, "t", title_hint="新昇半导体等8个项目落户青湾园区")
    assert art.title is None or "新昇" in art.title


def test_a_county_written_with_qian_keeps_it_on_a_simplified_page_with_a_traditional_word() -> None:
    # one Traditional word (開工) on a Simplified page is converted; 乾县 (a county's own name) is kept
    text = "乾县智能制造产业园项目正式開工，总投资8.6亿元，涵盖装备制造和新材料。"
    out = to_simplified(text)
    assert out.startswith("乾县") and "开工" in out


def test_a_variant_character_t2s_leaves_is_replaced() -> None:
    # 陜 (a variant of 陝) survives OpenCC t2s; analysts search for 陕西
    assert to_simplified("陜西某某集團在太白縣投資") == "陕西某某集团在太白县投资"
    assert "陕西" in to_simplified("陜西省某县项目开工")  # on a Simplified page too
    assert to_simplified("甯夏路") == "甯夏路"  # a character names still use is not in the list
