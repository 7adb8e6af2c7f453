"""Cleaning classes seen on real pages (issue #10), each reproduced by original text."""

from __future__ import annotations

from chainatlas.clean.text import to_simplified


def test_taiwan_vocabulary_is_converted_by_phrase() -> None:
    out = to_simplified("該廠商投資積體電路與晶片封裝，並擴大資訊服務與軟體研發。")
    assert "集成电路" in out and "芯片" in out and "信息服务" in out and "软件" in out
    assert "积体" not in out and "晶片" not in out and "资讯" not in out


def test_phrase_conversion_leaves_mainland_words_alone() -> None:
    # tw2sp would turn 核心 into 内核, 建立 into 创建 and 智慧城市 into 智能城市
    out = to_simplified("園區建立了核心技術平臺，推進智慧城市建設，新增企業十家。")
    assert "核心技术" in out and "建立" in out and "智慧城市" in out and "新增" in out


def test_simplified_text_is_never_rewritten_by_the_phrase_table() -> None:
    text = "该网站的资讯频道由数位专家维护。"
    assert to_simplified(text) == text


# ---------------------------------------------------------------- page chrome

from chainatlas.clean import clean_text  # noqa: E402


def _one(text: str):  # type: ignore[no-untyped-def]
    arts = clean_text(text, "t.txt")
    assert len(arts) == 1
    return arts[0]


def test_a_site_banner_above_the_location_trail_is_never_the_title() -> None:
    art = _one(
        "服务实体经济 共建开放高地\n您现在的位置：首页 > 园区动态 > 正文\n江城代表团到我区考察新材料产业\n"
        "发布时间：2023-06-02\n6月1日，江城代表团一行到我区考察新材料产业发展情况，并走访了三家企业。"
    )
    assert art.title == "江城代表团到我区考察新材料产业"
    assert "服务实体经济" not in art.text


def test_a_now_reading_strip_is_chrome() -> None:
    art = _one("正在阅读：江城新材料产业园开园\n江城新材料产业园开园\n6月1日，江城新材料产业园正式开园，首批入驻企业十二家。")
    assert art.title == "江城新材料产业园开园"
    assert "正在阅读" not in art.text


def test_login_share_app_lines_image_names_and_player_times_are_chrome() -> None:
    art = _one(
        "江城新材料产业园开园\n分享\n江城新闻APP\n02:14 / 05:30\n"
        "6月1日，江城新材料产业园正式开园，首批入驻企业十二家，总投资达到三十亿元。\n"
        "20230601101010123.jpg\n园区将继续引进上下游企业，打造新材料产业集群，力争三年内产值翻番。\n"
        "用户登录\n还没有账号？\n立即注册\n本文转自：江城新闻网"
    )
    for junk in ("分享", "APP", "02:14", ".jpg", "用户登录", "还没有账号", "立即注册", "转自"):
        assert junk not in art.text, junk
    assert "首批入驻企业十二家" in art.text and "产值翻番" in art.text


def test_a_photo_label_between_paragraphs_is_no_text() -> None:
    art = _one(
        "江城新材料产业园开园\n6月1日上午，江城新材料产业园举行开园仪式，首批入驻企业十二家，总投资三十亿元。\n"
        "开园仪式现场\n园区负责人介绍，下一步将围绕新材料产业链引进配套企业，力争三年内产值突破百亿元。"
    )
    assert "开园仪式现场" not in art.text
    assert "开园仪式现场" in art.removed


def test_a_numbered_heading_between_paragraphs_stays() -> None:
    art = _one(
        "江城新材料产业园开园\n6月1日上午，江城新材料产业园举行开园仪式，首批入驻企业十二家，总投资三十亿元。\n"
        "二、下一步工作\n园区负责人介绍，下一步将围绕新材料产业链引进配套企业，力争三年内产值突破百亿元。"
    )
    assert "二、下一步工作" in art.text


def test_a_city_news_site_dateline_is_chrome_and_its_place_no_region() -> None:
    art = _one("江城新材料产业园开园\n岳阳网讯 6月1日上午，江城新材料产业园举行开园仪式，首批入驻企业十二家。")
    assert not art.text.split("\n")[1].startswith("岳阳网讯")


def test_the_dateline_date_wins_over_a_mirror_timestamp() -> None:
    art = _one(
        "江城新材料产业园开园\n2023-06-05 08:12 来源：某转载网\n"
        "新华社长沙6月1日电（记者 某某）江城新材料产业园1日正式开园，首批入驻企业十二家。"
    )
    assert art.published == "2023-06-01"
    art = _one(
        "江城新材料产业园开园\n2024-01-03 08:12 来源：某转载网\n"
        "新华社长沙12月30日电（记者 某某）江城新材料产业园30日正式开园。"
    )
    assert art.published == "2023-12-30"


def test_a_dateline_below_a_banner_a_headline_and_a_subtitle_is_chrome() -> None:
    art = _one("活动资讯\n江城区一季度项目集中开工\n江城区一季度项目集中开工 副市长出席\n"
               "岳阳网讯(记者 某某 某某) 昨天上午，江城区举行一季度项目集中开工仪式，十个项目同时开工。")
    assert "岳阳网讯" not in art.text and "记者" not in art.text
    assert "江城区举行一季度项目集中开工仪式" in art.text
    # below a paragraph that is already body text, a 网讯 line is left as it is
    art = _one("江城区一季度项目集中开工\n昨天上午，江城区举行集中开工仪式，十个项目同时开工。\n"
               "项目涵盖新材料和装备制造。\n岳阳网讯 另一条消息，江城区又签约三个项目。")
    assert "岳阳网讯" in art.text


def test_a_bracketed_source_line_is_chrome() -> None:
    art = _one("江城新材料产业园开园\n6月1日上午，江城新材料产业园举行开园仪式，首批入驻企业十二家。\n【来源:岳阳网】")
    assert "来源" not in art.text and "岳阳网" not in art.text
