"""Areas as a tree (区县 by 上级代码, any depth): figures reported for the leaves roll up Σnum/Σden to every
area above them; the community master list may come as its own file. Expected figures are worked out by
hand from the rows loaded in each test.

The tree: 900000 示例省 → 910000 甲市 (911000 甲一县, 912000 甲二县), 920000 乙市 (921000 乙一县).
"""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import count_rows, mini_catalog_bytes, mini_warehouse, one, xlsx
from ingest.catalog import read_catalog
from ingest.pipeline import receive
from metrics.progress import MET, NO_DATA, progress_table
from metrics.report import REPORT_FIELDS, report

D = dt.datetime
ROOT, JIA, YI, J1, J2, Y1 = "900000", "910000", "920000", "911000", "912000", "921000"
TREE = [(ROOT, "示例省", "", None, "省"), (JIA, "甲市", "", ROOT, "市"), (YI, "乙市", "", ROOT, "市"),
        (J1, "甲一县", "", JIA, "县"), (J2, "甲二县", "", JIA, "县"), (Y1, "乙一县", "", YI, "县")]
UNITS = [("甲一县", "一镇", "一村", "911000001", "农村"), ("甲二县", "二镇", "二村", "912000001", "农村"),
         ("乙一县", "三街道", "三社区", "921000001", "城镇")]


def tree_catalog(districts=TREE, communities=UNITS) -> bytes:
    return mini_catalog_bytes(districts=districts, communities=communities)


@pytest.fixture
def tree(tmp_path):
    m = mini_warehouse(tmp_path, tree_catalog())
    yield m
    m.con.close()


def test_rates_roll_up_through_every_level(tree):
    tree.load([("R-UP", "甲一县", "2025", 90, 100, None), ("R-UP", "甲二县", "2025", 5, 10, None),
               ("R-UP", "乙一县", "2025", 40, 50, None)], D(2026, 1, 10))
    table = progress_table(tree.con, 2025, level="all")
    jia = one(table, "R-UP", JIA, 2025)
    assert (jia["numerator"], jia["denominator"]) == (95, 110)
    assert jia["value"] == pytest.approx(95 / 110 * 100) and jia["districts_reported"] == 2 and jia["complete"]
    root = one(table, "R-UP", ROOT, 2025)
    assert (root["numerator"], root["denominator"]) == (135, 160)
    assert root["value"] == pytest.approx(135 / 160 * 100)
    assert root["value"] != pytest.approx((95 / 110 * 100 + 40 / 50 * 100) / 2)   # never a mean of cities' rates
    # the province's 95 % target judges every area above the leaves too: 甲市 86.4 % is not met, nor 乙一县's 80 %
    assert one(table, "R-UP", YI, 2025)["value"] == pytest.approx(80.0)
    assert one(table, "R-UP", JIA, 2025)["status"] not in (MET, NO_DATA)
    assert one(table, "R-UP", JIA, 2025)["target"] == 95 and not one(table, "R-UP", JIA, 2025)["is_leaf"]


def test_an_area_is_whole_only_when_every_leaf_under_it_reported(tree):
    tree.load([("R-UP", "甲一县", "2025", 90, 100, None), ("R-UP", "乙一县", "2025", 40, 50, None)], D(2026, 1, 10))
    table = progress_table(tree.con, 2025, level="all")
    jia, yi = one(table, "R-UP", JIA, 2025), one(table, "R-UP", YI, 2025)
    assert not jia["complete"] and jia["coverage"] == "1/2个区县已报" and jia["status"] == NO_DATA
    assert yi["complete"] and yi["value"] == pytest.approx(80.0)
    assert one(table, "R-UP", ROOT, 2025)["coverage"] == "2/3个区县已报"


def test_counts_sum_and_a_cities_total_needs_its_own_split_target(tree):
    tree.load([("C-YR", "甲一县", "2024", None, None, 12), ("C-YR", "甲二县", "2024", None, None, 8),
               ("C-YR", "乙一县", "2024", None, None, 30)], D(2025, 1, 10), department="妇联")
    table = progress_table(tree.con, 2024, level="all")
    assert one(table, "C-YR", JIA, 2024)["value"] == 20
    assert one(table, "C-YR", ROOT, 2024)["value"] == 50
    # the province's total of 40 judges the province only; 甲市 has no target of its own
    assert one(table, "C-YR", ROOT, 2024)["status"] == MET
    assert one(table, "C-YR", JIA, 2024)["status"] == "未分解"


def test_area_filter_gives_an_area_and_the_areas_right_under_it(tree):
    tree.load([("R-UP", "甲一县", "2025", 90, 100, None)], D(2026, 1, 10))
    table = progress_table(tree.con, 2025, level="all", area=JIA)
    assert set(table["district_code"]) == {JIA, J1, J2}
    assert set(progress_table(tree.con, 2025, level="all", area=ROOT)["district_code"]) == {ROOT, JIA, YI}


def test_a_subtotal_row_of_a_city_is_not_loaded(tree, tmp_path):
    path = tmp_path / "sub.xlsx"
    path.write_bytes(xlsx([["指标编码", "区县", "统计期", "分子", "分母"], ["R-UP", "甲一县", "2025", 9, 10],
                           ["R-UP", "甲市", "2025", 99, 100]]))
    result = receive(tree.con, path, tmp_path / "archive", department="卫健委", received_at=D(2026, 1, 10))
    assert result.status == "accepted"
    assert any(p.rule == "subtotal_row" and "甲市" in p.message for p in result.problems)
    assert count_rows(tree.con, "observation") == 1


def test_a_loop_in_the_tree_is_refused():
    looped = [*TREE[:3], (J1, "甲一县", "", J2, "县"), (J2, "甲二县", "", J1, "县")]
    catalog, problems = read_catalog(tree_catalog(looped, communities=[]), "loop.xlsx")
    assert catalog is None
    [p] = [p for p in problems if p.rule == "area_cycle"]
    assert "甲一县" in p.message or "甲二县" in p.message


def test_the_master_list_as_its_own_file(tmp_path):
    rows = "\n".join(f"{'甲一县' if k % 2 else '乙一县'},一镇,村{k},9{k:08d},{'农村' if k % 3 else '城镇'}" for k in range(3000))
    listed = ("说明：全省社区名册\n区县,街道(乡镇),社区名称,社区代码,城乡\n" + rows).encode("gb18030")
    catalog, problems = read_catalog(tree_catalog(communities=[]), "tree.xlsx", (listed, "社区名册.csv"))
    assert catalog is not None, problems
    assert len(catalog.communities) == 3000
    assert catalog.communities["900000007"].district_code == J1 and catalog.communities["900000003"].urban_rural == "城镇"
    bad = listed + "\n丙县,一镇,村x,900000001,郊区".encode("gb18030")
    catalog, problems = read_catalog(tree_catalog(communities=[]), "tree.xlsx", (bad, "社区名册.csv"))
    assert catalog is None
    cells = {p.rule: p.cell for p in problems}
    assert cells["unknown_district"] == "A3003" and cells["invalid_choice"] == "E3003"
    assert cells["master_list_duplicate"] == "D3003"
    assert all(p.file == "社区名册.csv" for p in problems)
    # not in two places at once
    catalog, problems = read_catalog(tree_catalog(), "tree.xlsx", (listed, "社区名册.csv"))
    assert catalog is None and any(p.rule == "master_list_twice" for p in problems)


def test_the_sidebar_picks_a_place_and_pages_show_it_with_its_children(tmp_path, monkeypatch):
    from conftest import open_app
    m = mini_warehouse(tmp_path, tree_catalog())
    m.load([("R-UP", "甲一县", "2025", 90, 100, None), ("R-UP", "甲二县", "2025", 5, 10, None),
            ("R-UP", "乙一县", "2025", 40, 50, None)], D(2026, 1, 10))
    m.con.close()
    app = open_app(tmp_path / "mini.duckdb", monkeypatch)
    assert not app.exception
    place = app.selectbox(key="f_place")
    assert place.options == ["示例省", "　甲市", "　乙市"]
    # the province and its cities: two "districts" on the scoreboard, the province as the city
    assert app.multiselect(key="f_districts").options == ["甲市", "乙市"]
    place.select(JIA).run()
    assert not app.exception
    assert app.multiselect(key="f_districts").options == ["甲一县", "甲二县"]
    assert any(h.value.startswith("2025年 甲市指标进展") for h in app.subheader), [h.value for h in app.subheader]
    assert app.query_params["place"] == [JIA] or app.query_params.get("place") in (JIA, [JIA])
    app.switch_page("pages/indicator.py").run()
    assert not app.exception
    bars = next(c for c in app.get("plotly_chart") if "甲一县" in c.proto.spec)
    assert "乙一县" not in bars.proto.spec
    # 区县对比: this catalog's areas are not on the demo city's tile layout: a plain grid of 甲市's counties
    app.switch_page("pages/districts.py").run()
    assert not app.exception and not [w.value for w in app.warning if "未能显示" in w.value or "失败" in w.value]
    tiles = next(c for c in app.get("plotly_chart") if '"heatmap"' in c.proto.spec)
    assert "甲一县" in tiles.proto.spec and "甲二县" in tiles.proto.spec and "乙一县" not in tiles.proto.spec


def test_tiles_of_areas_the_layout_file_does_not_place_form_a_grid(tmp_path):
    from metrics.inventory import district_tiles
    layout = tmp_path / "tiles.csv"
    layout.write_text("code,row,col,short\n101,0,1,甲\n102,1,0,乙\n", encoding="utf-8")
    assert district_tiles(layout, ["102", "101"]).sort_values("code")[["row", "col"]].values.tolist() == [[0, 1], [1, 0]]
    grid = district_tiles(layout, [f"{k:02d}" for k in range(7)])   # 7 areas: 4 columns (√(7 × 4/3) ≈ 3.1 → 4)
    assert list(zip(grid["row"], grid["col"])) == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2)]


def test_a_trend_of_hundreds_of_districts_draws_a_band_and_the_edges():
    import pandas as pd

    from ui import strings as S
    from ui.charts import EDGE_LINES, trend
    rows = pd.DataFrame([{"district_code": f"{k:06d}", "district": f"县{k}", "year": y, "value": float(k + y - 2024)}
                         for k in range(300) for y in (2024, 2025)])
    city = pd.DataFrame({"year": [2024, 2025], "value": [150.0, 151.0]})
    fig = trend(city, rows, chosen=("000150",))
    lines = [t for t in fig.data if t.mode and "lines" in t.mode and t.line.width != 0]
    # the chosen one, the city, and one grey trace holding the best and worst EDGE_LINES of 2025, each its
    # own stretch of line (a gap between them): not 300 lines
    assert len(lines) == 3
    grey = next(t for t in lines if t.name == S.TREND_OTHER_DISTRICTS)
    edges = {f"县{k}" for k in [*range(EDGE_LINES), *range(300 - EDGE_LINES, 300)]}
    assert set(grey.text) - {""} == edges and list(grey.x).count(None) == len(edges)
    assert [v for v in grey.y if v is not None] == [float(int(n[1:]) + y - 2024) for n in sorted(edges)
                                                    for y in (2024, 2025)]
    band = [t for t in fig.data if t.fill == "tonexty"]
    assert len(band) == 1 and list(band[0].y) == [299.0, 300.0] and "299个" in band[0].name


def test_breakdowns_roll_up_through_every_level(tmp_path):
    from metrics.breakdown import breakdown_values
    m = mini_warehouse(tmp_path, mini_catalog_bytes(districts=TREE, communities=UNITS,
                                                    indicator_columns={"分组": {"R-UP": "性别"}}))
    rows = [["指标编码", "区县", "统计期", "性别", "分子", "分母"],
            ["R-UP", "甲一县", "2025", None, 90, 100], ["R-UP", "甲一县", "2025", "男", 40, 50],
            ["R-UP", "甲一县", "2025", "女", 50, 50], ["R-UP", "甲二县", "2025", None, 5, 10],
            ["R-UP", "甲二县", "2025", "男", 1, 5], ["R-UP", "甲二县", "2025", "女", 4, 5]]
    path = tmp_path / "parts.xlsx"
    path.write_bytes(xlsx(rows))
    assert receive(m.con, path, tmp_path / "archive", department="卫健委", received_at=D(2026, 1, 10)).status == "accepted"
    parts = breakdown_values(m.con, 2025, "R-UP")
    boys = parts[(parts["part"] == "男")].set_index("district_code")
    assert (boys.loc[JIA, "numerator"], boys.loc[JIA, "denominator"]) == (41, 55)
    assert (boys.loc[ROOT, "numerator"], boys.loc[ROOT, "denominator"]) == (41, 55)
    assert YI not in boys.index       # nothing reported under 乙市
    m.con.close()


def test_a_separate_master_list_is_kept_and_replayed_from_the_journal(tmp_path):
    from warehouse import journal
    from ingest.catalog import load_catalog
    from warehouse.db import connect
    listed = ("区县,街道(乡镇),社区名称,社区代码,城乡\n" + "\n".join(
        f"甲一县,一镇,村{k},91100{k:04d},农村" for k in range(500))).encode()
    data = tree_catalog(communities=[])
    catalog, problems = read_catalog(data, "tree.xlsx", (listed, "社区名册.csv"))
    con = connect(tmp_path / "a" / "w.duckdb")
    load_catalog(con, catalog, data, "tree.xlsx", master_list=(listed, "社区名册.csv"))
    assert count_rows(con, "community") == 500
    con.close()
    again = connect(tmp_path / "b" / "w.duckdb")
    journal.replay(again, tmp_path / "a" / "archive")
    assert count_rows(again, "community") == 500
    again.close()


def test_a_meeting_of_a_province_can_look_at_one_of_its_cities(tree):
    from meetings.records import start_meeting
    from metrics.meeting import meeting_pack
    tree.load([("R-UP", "甲一县", "2025", 90, 100, None), ("R-UP", "甲二县", "2025", 5, 10, None),
               ("R-UP", "乙一县", "2025", 40, 50, None)], D(2026, 1, 10))
    meeting = start_meeting(tree.con, "第一次", dt.date(2026, 1, 12), at=D(2026, 1, 12, 9))
    whole = meeting_pack(tree.con, meeting, year=2025)
    assert set(whole.progress["district_code"]) == {ROOT, JIA, YI}
    jia = meeting_pack(tree.con, meeting, year=2025, place=JIA)
    assert set(jia.progress["district_code"]) == {JIA, J1, J2}
    # the cards count the place's own figures: 甲市 95/110 = 86.4 % against 95 % is behind, not met
    row = one(jia.progress, "R-UP", JIA, 2025)
    assert (row["numerator"], row["denominator"]) == (95, 110)
    counts = dict(zip(jia.headline["status"], jia.headline["count"]))
    assert counts[row["status"]] >= 1 and counts[MET] == (jia.progress.query("district_code == @JIA")["status"] == MET).sum()
    assert set(jia.ranking["district"]) <= {"甲一县", "甲二县"}
    # named as the place, never 全市: "甲市滞后1项。" in the briefing
    from briefing.sections import sections
    assert (whole.place, jia.place) == ("示例省", "甲市")
    lagging = next(s for s in sections(jia) if s.key == "lagging_city")
    assert lagging.intro.startswith("甲市") and "全市" not in lagging.intro


def test_the_kept_table_is_the_computed_table(tree):
    """progress_cache serves every filter exactly as progress.sql computes it, and a new load replaces it."""
    from metrics.sql import FOREVER
    tree.load([("R-UP", "甲一县", "2025", 90, 100, None), ("R-UP", "乙一县", "2024", 40, 50, None)], D(2026, 1, 10))
    progress_table(tree.con, 2025)   # a page: computes its rows, keeps nothing
    assert not tree.con.execute("SELECT * FROM meta WHERE key = 'progress_cache'").fetchall()
    for year, level, area in [(None, "all", None), (2025, "city", None), (2024, "district", None), (None, "all", JIA)]:
        kept = progress_table(tree.con, year, level=level, area=area, keep=True)
        assert count_rows(tree.con, "progress_cache") > 0
        # the same moment asked as an as-of is always computed; today's date is the only difference
        computed = progress_table(tree.con, year, as_of=FOREVER, level=level, area=area)
        assert kept.drop(columns=["expected", "year_share"]).equals(computed.drop(columns=["expected", "year_share"]))
    assert one(progress_table(tree.con, 2025, level="city", keep=True), "R-UP", ROOT, 2025)["numerator"] == 90
    tree.load([("R-UP", "甲二县", "2025", 5, 10, None)], D(2026, 1, 11))
    # a later file of the same department supersedes the earlier one for its indicators and periods
    assert one(progress_table(tree.con, 2025, level="city", keep=True), "R-UP", ROOT, 2025)["numerator"] == 5
    assert progress_table(tree.con, 2031, level="city", keep=True)["year"].tolist() == [2031] * len(
        progress_table(tree.con, 2031, level="city", keep=True))


def test_a_district_share_of_an_annual_count_is_of_that_years_figures(tree):
    """占各区县合计 for a count reported year by year (C-YR) is the district's share of that year's total:
    2025: 10 of 10 + 30 = 25 %, not of the sums since the baseline ((30 + 10) of (40 + 40) = 50 %)."""
    tree.load([("C-YR", "甲一县", "2024", None, None, 30), ("C-YR", "甲二县", "2024", None, None, 10)], D(2025, 1, 10))
    tree.load([("C-YR", "甲一县", "2025", None, None, 10), ("C-YR", "甲二县", "2025", None, None, 30)], D(2026, 1, 10))
    table = progress_table(tree.con, None)
    assert one(table, "C-YR", J1, 2025)["share_of_total"] == pytest.approx(10 / 40)
    assert one(table, "C-YR", J2, 2025)["share_of_total"] == pytest.approx(30 / 40)
    assert one(table, "C-YR", J1, 2024)["share_of_total"] == pytest.approx(30 / 40)
    assert one(table, "C-YR", ROOT, 2025)["value"] == 40


def test_the_report_reads_the_kept_rows_as_the_computed_ones(tree):
    """`metrics report` reads its columns from the kept table (the city's rows from their own table): the
    same rows, readings and column types as the report computed from progress.sql."""
    from metrics.sql import FOREVER
    tree.load([("R-UP", "甲一县", "2025", 90, 100, None), ("R-UP", "乙一县", "2024", 40, 50, None)], D(2026, 1, 10))
    for year, level in [(2025, "city"), (2024, "district"), (None, "all")]:
        kept = report(tree.con, year, level=level)
        computed = report(tree.con, year, as_of=FOREVER, level=level)
        assert list(kept.columns) == REPORT_FIELDS and len(kept) > 0
        assert kept.drop(columns="expected").equals(computed.drop(columns="expected")), (year, level)
        # whole numbers print as such ("2025", "3", not "2025.0"): the report's CSV is read by other programs
        whole = [str(v) for c in ("year", "target_year", "gap") for v in kept[c].dropna()]
        assert whole and all(v.lstrip("-").isdigit() for v in whole), whole[:5]
    assert count_rows(tree.con, "progress_cache_city") > 0
    city = report(tree.con, 2025, level="city", indicator="r-up").set_index("district_code").loc[ROOT]
    assert (city["numerator"], city["denominator"], city["value"]) == (90, 100, 90)   # only 甲一县 reported 2025
    yi = report(tree.con, 2024, level="district", indicator="R-UP").set_index("district_code").loc[Y1]
    assert (yi["value"], yi["year"]) == (80, 2024) and "80" in yi["value_shown"]
    # a table kept by the version before the city's own table: computed again, not read from a missing table
    tree.con.execute("DROP TABLE progress_cache_city")
    key = tree.con.execute("SELECT value FROM meta WHERE key = 'progress_cache'").fetchone()[0]
    tree.con.execute("UPDATE meta SET value = ? WHERE key = 'progress_cache'", [key.split("|", 1)[1]])
    assert report(tree.con, 2025, level="city", indicator="R-UP")["numerator"].tolist() == [90]
