"""Round-3 cleaning: source+date lines, page tools, breadcrumbs and newspaper bylines, on
pages written for these tests."""

from __future__ import annotations

from chainatlas.clean import clean_text


def _one(text: str):  # type: ignore[no-untyped-def]
    arts = clean_text(text, "t.txt")
    assert len(arts) == 1
    return arts[0]


def test_source_and_date_line_gives_the_date_and_is_chrome() -> None:
    for line, date in (
        ("江城市工业和信息化局 2024-12-03", "2024-12-03"),
        ("江城日报 2024-04-09 记者 周立", "2024-04-09"),
        ("江城网讯 2024-10-23", "2024-10-23"),
        ("江城新闻网 2024年10月15日", "2024-10-15"),
    ):
        art = _one(f"江城光伏组件项目投产\n{line}\n10月8日，江城光伏组件项目正式投产，总投资6亿元。")
        assert art.published == date, line
        assert line not in art.text and line in art.removed
        assert "正式投产" in art.text


def test_page_tools_and_breadcrumbs_are_chrome() -> None:
    art = _one(
        "江城算力中心开工\n您现在的位置：首页 >> 新闻 >> 园区动态\n【字体：大 中 小】 【打印】 【收藏】 【关闭】\n"
        "5月6日，江城算力中心项目开工。\n【打印】【关闭】"
    )
    assert art.text == "江城算力中心开工\n5月6日，江城算力中心项目开工。"
    assert any("您现在的位置" in r for r in art.removed)
    assert any("字体" in r for r in art.removed)


def test_newspaper_byline_at_body_start_is_chrome() -> None:
    art = _one("江城新材料项目签约\n江城日报讯（记者 王敏 通讯员 刘畅）6月1日，某新材料项目签约落户江城。")
    assert art.text.endswith("6月1日，某新材料项目签约落户江城。")
    assert "记者" not in art.text
    assert any("江城日报讯" in r for r in art.removed)


def test_body_sentence_with_a_date_is_not_chrome() -> None:
    art = _one("江城项目开工\n江城高新区 2024年5月6日举行项目集中开工仪式，共12个项目开工。")
    assert "集中开工仪式" in art.text


def test_a_run_of_link_names_ending_in_more_is_chrome() -> None:
    links = "江城农业信息网江城政务网江城工信局江城商务局江城发改委江城统计局江城乡村网更多>>"
    art = _one(f"江城新区获批升级\n5月6日，江城新区升级为国家级新区，总投资20亿元。\n关闭】【顶部\n>>最新信息\n{links}")
    assert art.text == "江城新区获批升级\n5月6日，江城新区升级为国家级新区，总投资20亿元。"
    assert links in art.removed and "关闭】【顶部" in art.removed
    # a body sentence that merely says 更多 stays
    body = "园区将吸引更多企业入驻，形成更多>>的配套。"
    assert body in _one(f"江城新区\n{body}").text


def test_switcher_section_label_masthead_author_and_date_widget() -> None:
    art = _one(
        "江城切换\n新闻\n江城新区上半年签约项目36个\n2019\n08/21\n09:30\n"
        "国内统一刊号:CN12-0001 江城日报社出版\n周 立\n上半年，江城新区签约项目36个，协议投资180亿元。"
    )
    assert art.title == "江城新区上半年签约项目36个"
    assert art.published == "2019-08-21"
    assert art.text == "江城新区上半年签约项目36个\n上半年，江城新区签约项目36个，协议投资180亿元。"


def test_a_sentence_laid_out_one_phrase_per_line_is_joined() -> None:
    art = _one(
        "江城高新区\n近三年，\n相继引进青禾汽车、远拓动力\n两大龙头企业，\n以及星岚电源、明川科技、\n"
        "华岳精工等\n一批配套企业。\n主要项目如下：\n青禾汽车二期项目开工。"
    )
    assert "近三年，相继引进青禾汽车、远拓动力两大龙头企业，以及星岚电源、明川科技、华岳精工等一批配套企业。" in art.text
    assert "主要项目如下：\n青禾汽车二期项目开工。" in art.text  # a colon opens what follows: its own line


def test_a_footer_of_three_site_links_is_chrome_and_names_no_body() -> None:
    from chainatlas.extract import Extractor

    art = _one("江城光伏组件项目投产\n10月8日，江城光伏组件项目正式投产，总投资6亿元。\n"
               "中央人民政府  |  江南省人民政府  |  江城州人民政府 网站无障碍")
    assert "江南省人民政府" not in art.text and any("网站无障碍" in r for r in art.removed)
    assert not any(e.type == "government" for e in Extractor().extract(art).entities)
    # a body sentence that happens to hold pipes stays
    art = _one("江城光伏组件项目投产\n项目分三期：一期 | 二期 | 三期，总投资6亿元，已于10月8日正式投产。")
    assert "一期" in art.text
