"""The dashboard as a user drives it, through streamlit's AppTest, on the demo warehouse."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import long_rows, xlsx
from warehouse.db import connect

APP = str(Path(__file__).parents[1] / "app.py")
PAGES = {"pages/indicator.py": "指标详情", "pages/districts.py": "区县对比", "pages/submissions.py": "报送情况",
         "pages/tasks.py": "任务清单", "pages/upload.py": "数据上传", "pages/quality.py": "数据质量", "pages/catalog.py": "指标体系"}


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_first_start_builds_the_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("CFC_DB", str(tmp_path / "new.duckdb"))
    from ui.data import connection
    connection.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert (tmp_path / "new.duckdb").exists()
    assert any("演示数据" in w.value for w in at.warning)
    # DuckDB's share of the dashboard's memory is bounded by the setting (a national warehouse spills to disk)
    limit = connection().execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit == "488.2 MiB", limit   # 512 MB as DuckDB shows it
    connection.clear()


def test_overview(app):
    assert not app.exception
    assert any("演示数据" in w.value for w in app.warning)
    cards = metrics(app)
    assert set(cards) == {"● 已达标", "○ 正常", "▲ 滞后", "■ 严重滞后", "— 无数据"}  # marks in every CJK font, no emoji
    assert sum(int(v) for v in cards.values()) == 43  # every indicator has exactly one city status
    assert app.get("plotly_chart")  # progress by area
    assert "2025年" in app.subheader[0].value


@pytest.mark.parametrize("page, title", PAGES.items())
def test_every_page_opens(app, page, title):
    app.switch_page(page).run()
    assert not app.exception
    assert app.title[0].value == title
    assert any("演示数据" in w.value for w in app.warning)


def test_a_filter_changes_the_figures(app):
    before = metrics(app)
    app.selectbox(key="f_year").select(2024).run()
    after = metrics(app)
    assert "2024年" in app.subheader[0].value
    assert after != before
    app.multiselect(key="f_areas").select("成长空间友好").run()
    assert sum(int(v) for v in metrics(app).values()) == 9  # the catalog's 成长空间友好 indicators


def test_as_of_shows_an_earlier_moment(app):
    import datetime as dt
    app.selectbox(key="f_year").select(2025).run()
    now = metrics(app)
    app.date_input(key="f_as_of").set_value(dt.date(2025, 12, 31)).run()
    assert any("历史快照" in i.value for i in app.info)
    # before January 2026 no annual 2025 report had arrived: most indicators have no data yet
    assert int(metrics(app)["— 无数据"]) > int(now["— 无数据"])


def _observations(db: Path) -> int:
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM observation").fetchall()[0][0]
    finally:
        con.close()


def test_a_broken_upload_shows_errors_and_loads_nothing(app, tmp_path):
    app.switch_page("pages/upload.py").run()
    bad = xlsx(long_rows(["PS-08", "德城区", 2026, "很多", 100, None], ["PS-08", "火星区", 2026, 5, 10, None]))
    app.get("file_uploader")[0].set_value(("坏文件.xlsx", bad, "application/octet-stream"))
    app.run()
    assert not app.exception
    # no 填报单位 in the file: the user is asked to choose one, and the report says so
    assert any("不能导入：3 个错误" in e.value for e in app.error)
    assert "无法确定填报单位" in " ".join(app.dataframe[0].value["问题和修改方法"])
    app.selectbox(key="dept_0_坏文件.xlsx").select("WJW").run()
    assert any("不能导入：2 个错误" in e.value for e in app.error)
    report = app.dataframe[0].value
    assert set(report["单元格"]) == {"D2", "B3"}
    assert set(report["填写的内容"]) == {"很多", "火星区"}
    from ui.data import connection
    connection.clear()
    before = _observations(tmp_path / "warehouse.duckdb")
    app.button(key="confirm_upload").click().run()
    assert any("0 个文件已接收，1 个退回" in s.value for s in app.success)
    connection.clear()
    assert _observations(tmp_path / "warehouse.duckdb") == before


def test_a_good_upload_changes_the_overview(app, tmp_path):
    """卫健委 sends 2025 figures that meet PS-09's target in every district: the overview's count moves."""
    app.selectbox(key="f_year").select(2025).run()
    before = metrics(app)
    # a complete long file for PS-09 (3岁以下儿童系统管理率, target 92 %) at 95 % everywhere
    rows = [["PS-09", code, 2025, 950, 1000, None] for code in
            ("371402", "371403", "371422", "371423", "371424", "371425", "371426", "371427", "371428", "371481",
             "371482", "371471", "371472")]
    app.switch_page("pages/upload.py").run()
    app.get("file_uploader")[0].set_value(("卫健委_补报.xlsx", xlsx(long_rows(*rows)), "application/octet-stream"))
    app.run()
    assert not app.exception
    app.selectbox(key="dept_0_卫健委_补报.xlsx").select("WJW").run()
    assert any("可以导入：13 行数据" in s.value for s in app.success)
    # the rows it would load, under the officials' words: no field name of the code shows
    [rows] = [d.value for d in app.dataframe if "分子单元格" in d.value.columns]
    assert not [c for c in rows.columns if c.isascii()] and rows["分子单元格"].iloc[0] == "D2"
    assert rows["数值"].iloc[0] == "—" and not rows.isin(["None", "nan", None]).any().any()
    app.button(key="confirm_upload").click().run()
    assert any("1 个文件已接收" in s.value for s in app.success)
    app.switch_page("pages/overview.py").run()
    after = metrics(app)
    assert int(after["● 已达标"]) == int(before["● 已达标"]) + 1
