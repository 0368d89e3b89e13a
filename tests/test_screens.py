"""Charts and tables that read at a distance (issue 10): the axis rule, the district ranking, status
marks without emoji, tables without None, and the pages in present mode and with districts chosen."""
from __future__ import annotations

import shutil
import unicodedata

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from metrics.progress import met_share
from metrics.ranking import district_ranking
from ui import format as fmt
from ui import strings as S
from ui.charts import stacked_bars, style, target_line, value_range


# --- the value axis ---------------------------------------------------------------------------------

def test_rates_close_to_their_target_get_a_cut_axis_and_a_note():
    # 94–96 % against 95 %: spread 2, below half of 96 → cut; step 2 (≥ half the 3.84 minimum spread),
    # start floor((94 − 0.96) / 2) × 2 = 92; top 96 + max(0.576, 1.92) = 97.92
    axis, note = value_range([94, 95.5, 96], "%", [95])
    assert axis == pytest.approx([92, 97.92])
    assert note == "纵轴从92%起（未从0开始，以便看清差别）"


def test_spread_out_figures_start_at_zero_without_a_note():
    # 10–90: the spread 80 is more than half of 90 → zero; top 90 + 12 + 5.4
    axis, note = value_range([10, 60, 90], "%")
    assert axis == pytest.approx([0, 107.4])
    assert note is None


def test_counts_far_from_zero_are_cut_with_the_unit_and_thousands():
    # 1,200–1,300 个: spread 100 < 650 → cut; step 50, start floor((1200 − 25) / 50) × 50 = 1,150
    axis, note = value_range([1200, 1250, 1300], "个", axis="横轴")
    assert axis[0] == 1150
    assert note.startswith("横轴从1,150 个起")


def test_a_far_target_stays_inside_the_axis():
    # values 60–62 with a target of 95 in `extra`: the spread 35 is less than half of 95 → cut;
    # step 20 (≥ 17.5), start floor((60 − 8.75) / 20) × 20 = 40, the target inside the axis
    axis, note = value_range([60, 62], "%", [95])
    assert axis[0] == 40 and axis[1] > 95 and note.startswith("纵轴从40%起")
    # and with a zero among them the axis stays at zero
    assert value_range([0, 3, 4], "‰")[1] is None


def test_nothing_to_draw_or_negative_figures_are_left_to_plotly():
    assert value_range([], "%") == (None, None)
    assert value_range([None, float("nan")], "%") == (None, None)
    assert value_range([-2, 3], "%") == (None, None)


# --- the district ranking ----------------------------------------------------------------------------

def _fixture() -> pd.DataFrame:
    """City C and districts A, B, D, E (catalog order) for one year, three indicators:
    X (rate, higher better): C 88, A 90 已达标, B 80 滞后, D 90 已达标, E no data
    Y (rate, lower better):  C 4,  A 5 正常,   B 3 已达标, D no data,    E no data
    Z (count, target only for the city): A 10, B 20, D 30 — 未分解; E no data"""
    rows = []
    def add(ind, code, value, status, direction="higher", city=False):
        rows.append({"indicator": ind, "district_code": code, "district": f"区{code}", "year": 2025, "value": value,
                     "status": status, "direction": direction, "is_city": city})
    add("X", "C", 88, "已达标", city=True)
    add("X", "A", 90, "已达标"); add("X", "B", 80, "滞后"); add("X", "D", 90, "已达标"); add("X", "E", np.nan, "无数据")
    add("Y", "C", 4, "正常", "lower", city=True)
    add("Y", "A", 5, "正常", "lower"); add("Y", "B", 3, "已达标", "lower"); add("Y", "D", np.nan, "无数据", "lower")
    add("Y", "E", np.nan, "无数据", "lower")
    for code, v in (("A", 10), ("B", 20), ("D", 30)):
        add("Z", code, v, "未分解")
    add("Z", "E", np.nan, "无数据")
    return pd.DataFrame(rows)


def test_district_ranking_by_hand():
    ranking = district_ranking(_fixture())
    # ranks: X (higher) A 1, D 1 (tie shares the best), B 3; Y (lower) B 1, A 2; Z (higher) D 1, B 2, A 3
    # A: met 1 (X), rated 2 (X, Y), mean (1 + 2 + 3) / 3 = 2.0
    # B: met 1 (Y), rated 2 (X, Y), mean (3 + 1 + 2) / 3 = 2.0
    # D: met 1 (X), rated 1 (X; Y 无数据, Z 未分解), mean (1 + 1) / 2 = 1.0
    # E: no figure at all: met 0, rated 0, no mean rank, last
    # places: all of A, B, D have met 1 → D (1.0), then A and B tied at 2.0 in catalog order
    assert ranking.columns.tolist() == ["place", "district_code", "district", "met", "rated", "mean_rank"]
    assert ranking["district_code"].tolist() == ["D", "A", "B", "E"]
    assert ranking["place"].tolist() == [1, 2, 3, 4]
    assert ranking["met"].tolist() == [1, 1, 1, 0]
    assert ranking["rated"].tolist() == [1, 2, 2, 0]
    assert ranking["mean_rank"].tolist()[:3] == [1.0, 2.0, 2.0] and np.isnan(ranking["mean_rank"].iloc[3])
    assert "C" not in set(ranking["district_code"])   # the city is never ranked


def test_met_share_counts_only_rated_indicators():
    # D meets its one rated indicator: 100 %, not 1 of 3 indicators; A and B 1 of 2
    shares = met_share(_fixture().query("not is_city"))
    assert shares.to_dict() == {"A": 0.5, "B": 0.5, "D": 1.0}


def test_the_meeting_ranks_with_the_same_function(demo_db, tmp_path):
    from warehouse.db import connect
    from meetings.records import start_meeting
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db)
    try:
        from metrics.meeting import meeting_pack
        pack = meeting_pack(con, start_meeting(con, "周例会"))
        expected = district_ranking(pack.progress)
        pd.testing.assert_frame_equal(pack.ranking, expected)
        assert {"place", "district_code", "district", "met", "mean_rank"} <= set(pack.ranking.columns)
        assert len(pack.ranking) == 13
    finally:
        con.close()


# --- marks, tables, sorting --------------------------------------------------------------------------

def _is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or ch in "\u2705\u274c\u26d4\u2b1c\u23f0\u23f3\u2796\u21a9\u2716\u26a0\ufe0f"


def test_status_marks_are_shapes_not_emoji_and_differ_by_shape():
    marks = [m for m, _ in fmt.STATUS_STYLE.values()]
    board = [m for m, _ in fmt.BOARD_STYLE.values()]
    tasks = list(fmt.TASK_MARKS.values())
    for group in (marks, board, tasks):
        assert len(set(group)) == len(group)     # told apart by shape, in black and white
        for mark in group:
            assert not any(_is_emoji(ch) for ch in mark), mark
            assert all(unicodedata.category(ch).startswith(("S", "P")) for ch in mark), mark
    for text in (S.BOARD_LEGEND, S.ACTION_OVERDUE, fmt.NOT_SPLIT_STYLE[0]):
        assert not any(_is_emoji(ch) for ch in text), text
    # the word always stays beside the mark
    assert fmt.status("严重滞后") == "■ 严重滞后" and fmt.board_status("未报") == "× 未报"
    assert fmt.status("未分解") == "◇ 未分解"


def test_severity_puts_far_behind_first():
    words = ["滞后", "严重滞后", "正常", "严重滞后", "滞后"]
    assert sorted(words, key=fmt.severity) == ["严重滞后", "严重滞后", "滞后", "滞后", "正常"]
    # the strings' own order is the other way round: this is what the sort key is for
    assert sorted(["滞后", "严重滞后"], reverse=True) == ["滞后", "严重滞后"]


def test_no_cell_reads_none_or_nan():
    frame = pd.DataFrame({"text": ["a", None, np.nan], "number": [1.5, np.nan, 1234.0], "whole": [1, 2, 3],
                          "time": pd.to_datetime(["2025-01-02 10:30", None, "2025-01-03 08:00"]),
                          "flag": [True, None, False], "literal": ["None", "nan", "x"]})
    shown = fmt.cells(frame)
    texts = shown.astype(str).to_numpy().ravel().tolist()
    assert not {"None", "nan", "NaN", "NaT", "<NA>"} & set(texts)
    assert shown["text"].tolist() == ["a", "—", "—"]
    assert shown["number"].tolist() == ["1.5", "—", "1,234"]
    assert shown["whole"].tolist() == [1, 2, 3]            # a complete numeric column stays numeric
    assert shown["time"].tolist() == ["2025-01-02 10:30", "—", "2025-01-03 08:00"]
    assert shown["flag"].tolist() == ["是", "—", "否"]
    assert shown["literal"].tolist() == ["—", "—", "x"]


def test_short_names_for_the_tiles():
    from warehouse import config
    from metrics.inventory import district_tiles
    tiles = district_tiles(config.DATA_DIR / "district_tiles.csv")
    catalog = pd.read_excel(config.CATALOG_PATH, sheet_name="区县", dtype={"统计代码": str}, engine="openpyxl")
    districts = catalog[catalog["上级代码"].notna()]
    assert set(tiles["code"]) == set(districts["统计代码"])          # every district has a tile
    shorts = dict(zip(tiles["code"], tiles["short"]))
    assert shorts["371471"] == "经开区" and shorts["371472"] == "运河区"
    assert all(len(s) <= 3 for s in shorts.values())                # fits a tile at 16 px
    assert len(set(shorts.values())) == len(shorts)
    assert fmt.short_names(["371471", "999999"], ["德州经济技术开发区", "新区"]) == ["经开区", "新区"]


# --- chart text ---------------------------------------------------------------------------------------

def _sizes(fig: go.Figure) -> list[int]:
    layout = fig.layout
    sizes = [layout.font.size, layout.legend.font.size, layout.xaxis.tickfont.size, layout.yaxis.tickfont.size]
    sizes += [a.font.size for a in layout.annotations]
    for t in fig.data:
        for attr in ("textfont", "insidetextfont", "outsidetextfont"):
            font = getattr(t, attr, None)
            if font is not None and font.size is not None:
                sizes.append(font.size)
    return sizes


@pytest.mark.parametrize("present, least", [(False, 12), (True, 16)])
def test_present_mode_scales_chart_text(present, least):
    summary = pd.DataFrame({"area": ["甲", "乙"], **{w: [1, 2] for w in fmt.STATUS_ORDER}})
    bars = stacked_bars(summary, "area", 300, present)
    fig = go.Figure(go.Heatmap(z=[[1, 2]], text=[["a", "b"]], texttemplate="%{text}", textfont=dict(size=10)))
    fig.add_annotation(text="注", x=0, y=0, font=dict(size=9))
    style(fig, 300, present)
    for f in (bars, fig):
        assert min(_sizes(f)) >= least
    assert fig.data[0].textfont.size == least                   # raised from 10
    if present:
        assert min(_sizes(stacked_bars(summary, "area", 300, False))) < min(_sizes(bars))


def test_the_target_label_is_in_the_legend_not_on_the_plot():
    fig = go.Figure(go.Bar(x=["甲"], y=[95]))
    target_line(fig, 95, "市级目标 95%（2025年）")
    assert not fig.layout.annotations                       # nothing written over the bars
    assert [t.name for t in fig.data if t.type == "scatter"] == ["市级目标 95%（2025年）"]
    assert fig.layout.shapes[0].y0 == 95


# --- the pages ----------------------------------------------------------------------------------------

SCREENS = ["pages/overview.py", "pages/indicator.py", "pages/districts.py", "pages/submissions.py", "pages/tasks.py",
           "pages/quality.py", "pages/catalog.py", "pages/upload.py"]


def _bad_cells(frame: pd.DataFrame) -> list:
    values = frame.reset_index().astype(str).to_numpy().ravel().tolist() + [str(c) for c in frame.columns]
    return [v for v in values if v.strip() in {"None", "nan", "NaN", "NaT", "<NA>"}]


@pytest.mark.parametrize("present", [False, True])
def test_screens_draw_every_figure_and_no_table_reads_none(app, present):
    if present:
        app.session_state["present_mode"] = True
    app.multiselect(key="f_districts").select("371481").run()   # one chosen district: highlights everywhere
    for page in SCREENS:
        app.switch_page(page).run()
        assert not app.exception, page
        failed = [w.value for w in app.warning if "计算出错" in w.value]
        assert not failed, (page, failed)
        for table in app.dataframe:
            assert not _bad_cells(table.value), (page, _bad_cells(table.value)[:5])


def test_headline_cards_say_whose_figures_they_show(app):
    assert "全市" in app.subheader[0].value
    app.multiselect(key="f_districts").select("371481").run()
    heading = app.subheader[0].value
    assert "乐陵市" in heading and "全市" not in heading
    cards = {m.label: int(m.value) for m in app.metric}
    # 乐陵市 2025: 30 indicators 已达标 and 13 counts with the city's target only (未分解, said under the cards)
    assert cards["● 已达标"] == 30 and sum(cards.values()) == 30
    assert any("13项" in c.value and "未分解" in c.value for c in app.caption)
    app.multiselect(key="f_districts").select("371482").run()
    assert "全市" in app.subheader[0].value
    assert any("所选的2个区县" in c.value for c in app.caption)


def test_the_lagging_list_puts_far_behind_first(app):
    table = app.dataframe[0].value
    status = table[S.COLUMNS["status"]].str.split(" ").str[1]
    city = table[S.COLUMNS["district"]] == "德州市"
    for part in (status[city], status[~city]):
        assert list(part) == sorted(part, key=fmt.severity)
    assert "严重滞后" in set(status[~city]) and status[~city].iloc[0] == "严重滞后"


def test_ranking_table_counts_rated_indicators(app):
    app.switch_page("pages/districts.py").run()
    ranking = next(t.value for t in app.dataframe if S.RANK_PLACE in t.value.columns)
    row = ranking[ranking[S.COLUMNS["district"]] == "乐陵市"].iloc[0]
    # 乐陵市 2025: 30 of its 30 rated indicators (13 more are 未分解 and do not count)
    assert row[S.RANK_RATED] == 30 and row[S.RANK_SHARE] == "100.0%" and row[S.RANK_PLACE] == 1
