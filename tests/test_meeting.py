"""Weekly meetings: frozen snapshots, changes since the last meeting, action items carried forward."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import long_rows, open_app, xlsx
from ingest.pipeline import receive
from meetings.records import DONE, OPEN, add_action_item, set_action_item_state, start_meeting
from metrics.meeting import action_item_history, meeting_pack, pace_needed

APP = str(Path(__file__).parents[1] / "app.py")
M1, M2, M3 = dt.datetime(2026, 1, 20, 9), dt.datetime(2026, 1, 27, 9), dt.datetime(2026, 2, 3, 9)


@pytest.fixture
def con(demo_con):
    return demo_con


def frames_equal(a, b) -> bool:
    return a.reset_index(drop=True).equals(b.reset_index(drop=True))


def test_a_past_meeting_shows_exactly_what_it_showed(con, tmp_path):
    first = start_meeting(con, "第1次", M1.date(), at=M1)
    shown = meeting_pack(con, first)
    # after the meeting: a revision of a figure it showed, and a brand-new figure
    revised = xlsx(long_rows(*[["PS-08", d, 2025, 900, 1000, None] for d in ("德城区", "陵城区")]))
    for name, data in (("revision.xlsx", revised),):
        path = tmp_path / name
        path.write_bytes(data)
        assert receive(con, path, tmp_path / "archive", department="卫健委").status == "accepted"
    again = meeting_pack(con, first)
    assert frames_equal(shown.progress, again.progress)
    assert frames_equal(shown.headline, again.headline)
    assert frames_equal(shown.lagging, again.lagging)
    assert shown.summary == again.summary
    # while today's figures did change
    latest = start_meeting(con, "第2次", at=dt.datetime.now())
    now = meeting_pack(con, latest, year=2025)
    before = shown.progress.set_index(["indicator", "district_code"]).loc[("PS-08", "371402"), "value"]
    after = now.progress.set_index(["indicator", "district_code"]).loc[("PS-08", "371402"), "value"]
    assert before != after and after == pytest.approx(90.0)


def test_changes_since_the_last_meeting(con):
    start_meeting(con, "第1次", M1.date(), at=M1)
    second = start_meeting(con, "第2次", M2.date(), at=M2)
    pack = meeting_pack(con, second, year=2025)
    # the demo's 卫生健康委 correction arrived between the two meetings: 德城区 PS-03 43 → 49
    [row] = pack.changes["values"].itertuples()
    assert (row.indicator, row.district_code, row.numerator_before, row.numerator_after, row.change) == (
        "PS-03", "371402", 43.0, 49.0, "revised")
    assert list(pack.changes["met"]["indicator"]) == ["PS-03"]
    assert pack.meeting["previous_id"] == second - 1
    assert pack.headline["change"].sum() == 0  # counts move between words, never in total


def test_action_items_carry_forward_until_closed(con):
    m1 = start_meeting(con, "第1次", M1.date(), at=M1)
    item = add_action_item(con, m1, "WJW", "核实德城区照护设施数并重报", dt.date(2026, 1, 25), "PS-03", "371402",
                           at=M1 + dt.timedelta(hours=1))
    m2 = start_meeting(con, "第2次", M2.date(), at=M2)
    carried = meeting_pack(con, m2).actions
    assert list(carried["id"]) == [item]
    assert carried.iloc[0]["state"] == OPEN and bool(carried.iloc[0]["overdue"])  # due 01-25, meeting 01-27
    set_action_item_state(con, item, DONE, "已重报", at=M2 + dt.timedelta(days=2))
    m3 = start_meeting(con, "第3次", M3.date(), at=M3)
    closed = meeting_pack(con, m3).actions
    assert list(closed["state"]) == [DONE]  # reported once as closed since the last meeting …
    m4 = start_meeting(con, "第4次", dt.date(2026, 2, 10), at=dt.datetime(2026, 2, 10, 9))
    assert meeting_pack(con, m4).actions.empty  # … then no longer carried
    assert meeting_pack(con, m2).actions.iloc[0]["state"] == OPEN  # the past meeting still shows it open
    assert list(action_item_history(con, item)["state"]) == [OPEN, DONE]


def test_summary_sentence(con):
    m = start_meeting(con, "第1次", M2.date(), at=M2)
    pack = meeting_pack(con, m, year=2025)
    counts = dict(zip(pack.headline["status"], pack.headline["count"]))
    assert pack.summary.startswith(f"截至1月27日，2025年{sum(counts.values())}项指标中已达标{counts['已达标']}项")


def test_pace_needed():
    row = pd.Series({"target": 95.0, "value": 91.0, "target_year": 2026, "direction": "higher", "unit": "%"})
    # 4 points over the 12 months from 2026-01-27 to the end of 2026 (Jan counted) → 0.33 a month
    assert pace_needed(row, dt.date(2026, 1, 27)) == "每月需提高 0.33 个百分点（距目标年底 12 个月）"
    # after 2026: the row says which year's target was missed and by how much (95 − 91 = 4 points)
    assert pace_needed(row, dt.date(2027, 1, 5)) == "2026年目标未完成，差 4.00 个百分点"


def test_meeting_page_walks_six_screens(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    at = open_app(db, monkeypatch)
    at.switch_page("pages/meeting.py").run()
    assert not at.exception
    # the demo ships six weekly meetings: the latest is open, labelled by number and time
    assert at.selectbox(key="meeting_id").value == 6
    assert at.selectbox(key="meeting_id").format_func(6) == "第6次 · 2026-11-10 09:30"
    at.button(key="meeting_start").click().run()
    assert not at.exception
    assert at.selectbox(key="meeting_id").value == 7       # the new meeting stays selected
    assert at.selectbox(key="meeting_id").format_func(7).startswith("第7次 · ")
    # one 导出简报 (.zip) and the three files one by one
    assert len(at.get("download_button")) == 4
    headers = []
    for k in range(6):
        headers.append(at.subheader[0].value)
        assert not at.exception
        cells = [str(v).strip() for frame in at.dataframe for v in frame.value.to_numpy().ravel()]
        assert not {"None", "nan", "NaN", "NaT", "<NA>"} & set(cells), headers[-1]
        assert at.button(key="meeting_prev").disabled == (k == 0)
        assert at.button(key="meeting_next").disabled == (k == 5)
        if k < 5:
            at.button(key="meeting_next").click().run()
    assert headers == ["一、总体进展", "二、上次会议以来的变化", "三、滞后指标", "四、未报和逾期", "五、区县排名", "六、督办事项"]
    # screen 6: a promise made in the meeting, then closed; its history has both states
    at.text_input(key="action_promise").input("月底前出台托育服务实施意见")  # submitted with the form
    at.button(key="action_add").click().run()
    assert not at.exception
    items = at.dataframe[0].value
    assert "月底前出台托育服务实施意见" in list(items["承诺内容"])
    new = int(items.loc[items["承诺内容"] == "月底前出台托育服务实施意见", "编号"].iloc[0])
    at.selectbox(key="action_pick").select(new).run()
    at.button(key="action_close").click().run()
    assert not at.exception
    items = at.dataframe[0].value
    assert items.loc[items["编号"] == new, "状态"].iloc[0] == "已完成"
    assert not any(v in ("None", "nan", "NaT") for frame in at.dataframe for v in frame.value.astype(str).values.ravel())
    at.button(key="meeting_prev").click().run()
    assert at.subheader[0].value == "五、区县排名"
    # 退出会议模式 goes back to the overview, with the sidebar
    at.button(key="meeting_exit").click().run()
    assert not at.exception
    assert at.title[0].value == "总览"
    from ui.data import connection
    connection.clear()


def test_two_meetings_on_one_day_stay_apart_in_the_picker(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_db, db)
    at = open_app(db, monkeypatch)
    at.switch_page("pages/meeting.py").run()
    at.button(key="meeting_start").click().run()
    at.button(key="meeting_start").click().run()
    assert not at.exception
    picker = at.selectbox(key="meeting_id")
    assert picker.value == 8
    assert picker.format_func(7) != picker.format_func(8)
    at.button(key="meeting_next").click().run()                      # paging keeps the newer meeting
    assert at.selectbox(key="meeting_id").value == 8
    at.selectbox(key="meeting_id").select(7).run()
    assert at.selectbox(key="meeting_id").value == 7
    from ui.data import connection
    connection.clear()


def test_the_summary_names_the_change_since_the_last_meeting(con):
    """The demo's last two meetings (11-03, 11-10): 卫生健康委's 2026-10 report arrived in between;
    2026 PS-10 武城县 and PS-11 宁津县 reached their targets, PS-10 运河经济开发区 fell back."""
    latest = meeting_pack(con, 6)
    met = set(zip(latest.newly_met["indicator"], latest.newly_met["district"]))
    assert met == {("PS-10", "武城县"), ("PS-11", "宁津县")}
    assert set(zip(latest.slipped["indicator"], latest.slipped["district"])) == {("PS-10", "德州运河经济开发区")}
    assert "较上次会议新增达标2项（区县2项；2026年）、退出达标1项（区县1项；2026年）；其间收到报送文件1份。" in latest.summary
    assert latest.number == 6
    assert "本次为首次会议" in meeting_pack(con, 1).summary


def test_an_open_item_whose_figure_has_met_its_target_says_so(con):
    """The demo's 11-03 item on PS-11 宁津县: the 2026-10 report brought it to its target."""
    items = meeting_pack(con, 6).actions.set_index("indicator_code")
    assert items.loc["PS-11", "indicator_met"] and items.loc["PS-11", "state"] == OPEN
    assert not items.loc["PS-01", "indicator_met"]            # 宁津县 学前教育毛入园率 still lags (2025)
    assert items.loc["SP-03", "overdue"] and not items.loc["PS-01", "overdue"]


def test_task_states_from_the_demo(con):
    from metrics.tasks import task_history, task_status
    on_meeting = task_status(con, dt.datetime(2026, 1, 27, 9), dt.date(2026, 1, 27)).set_index("code")["state"]
    # T-01 reported 已完成 (2025-07); T-05 推进中 but due 2025-09-30 → 逾期; T-08 never reported, due 2026-12-31
    assert on_meeting["T-01"] == "已完成" and on_meeting["T-05"] == "逾期" and on_meeting["T-08"] == "未启动"
    before = task_status(con, dt.datetime(2025, 6, 1), dt.date(2025, 6, 1)).set_index("code")["state"]
    assert before["T-01"] == "未启动"  # as of June 2025 nothing had been reported yet, and not yet due
    history = task_history(con, "T-01")
    assert list(history["state"]) == ["已完成"] and history.iloc[0]["state_cell"] == "B3"


def test_an_item_made_during_the_meeting_shows_in_it(con):
    m = start_meeting(con, "第1次", M1.date(), at=M1)
    item = add_action_item(con, m, "FL", "下周报告社区创建进展", dt.date(2026, 2, 3), "GS-01", at=M1 + dt.timedelta(minutes=40))
    assert list(meeting_pack(con, m).actions["id"]) == [item]  # created after the figures froze, same meeting
    set_action_item_state(con, item, DONE, at=M1 + dt.timedelta(days=3))
    assert meeting_pack(con, m).actions.iloc[0]["state"] == OPEN  # closed days later: the meeting showed it open


def test_two_meetings_on_one_day_get_their_own_briefing_names(con):
    from briefing.export import file_stem
    a = start_meeting(con, "上午", M1.date(), at=M1)
    b = start_meeting(con, "下午", M1.date(), at=M1 + dt.timedelta(hours=5))
    assert {file_stem(meeting_pack(con, a)), file_stem(meeting_pack(con, b))} == {
        f"周例会简报_2026-01-20_会议{a}", f"周例会简报_2026-01-20_会议{b}"}


def test_a_past_meeting_keeps_the_catalog_it_was_held_with(con):
    """Start a meeting, upload a catalog with a changed target and a new community, reopen the meeting:
    identical figures and statuses; today's figures use the new catalog."""
    import io

    from openpyxl import load_workbook

    from warehouse import config
    from ingest.catalog import load_catalog, read_catalog
    from metrics.progress import progress_table

    held = start_meeting(con, "第1次", M2.date(), at=M2)
    shown = meeting_pack(con, held, year=2025)
    wb = load_workbook(config.CATALOG_PATH)
    goals = wb["目标"]
    row = next(r for r in range(2, goals.max_row + 1)
               if goals.cell(r, 1).value == "GS-01" and goals.cell(r, 2).value == 2025)
    goals.cell(row, 3).value = 60                   # GS-01 2025: 约50% → 约60%
    goals.cell(row, 6).value = None                 # and no longer 左右
    wb["社区"].append(["德城区", "新湖街道", "新建示范社区", "371402001999", "城镇"])
    buffer = io.BytesIO()
    wb.save(buffer)
    catalog, problems = read_catalog(buffer.getvalue(), "catalog_v2.xlsx")
    assert catalog is not None, problems
    load_catalog(con, catalog, buffer.getvalue(), "catalog_v2.xlsx", loaded_at=dt.datetime.now())

    again = meeting_pack(con, held, year=2025)
    assert frames_equal(shown.progress, again.progress)
    assert frames_equal(shown.headline, again.headline)
    assert shown.summary == again.summary
    # today: the new target, and 德城区's register denominator counts the new community (one more unit)
    now = progress_table(con, 2025).set_index(["indicator", "district_code"])
    then = shown.progress.set_index(["indicator", "district_code"])
    assert then.loc[("GS-01", "371400"), "target"] == 50 and now.loc[("GS-01", "371400"), "target"] == 60
    assert then.loc[("GS-01", "371400"), "status"] == "已达标" and now.loc[("GS-01", "371400"), "status"] != "已达标"
    assert now.loc[("GS-01", "371402"), "denominator"] == then.loc[("GS-01", "371402"), "denominator"] + 1


def test_pace_after_the_target_year_says_what_is_missing_in_real_units():
    row = pd.Series({"target": 92.0, "value": 91.9997, "target_year": 2025, "direction": "higher", "unit": "%",
                     "gap_text": "还需管理1名儿童"})
    assert pace_needed(row, dt.date(2026, 1, 27)) == "2025年目标未完成，还需管理1名儿童"
    # no gap in units: the distance, never "差 0.00"
    assert pace_needed(row.drop("gap_text"), dt.date(2026, 1, 27)) == "2025年目标未完成，差 0.0003 个百分点"


def test_an_item_added_to_a_past_meeting_later_is_in_its_briefing(con):
    """Opening the demo's 11-10 meeting today and making an action item from it: the item is that
    meeting's, so the meeting (and its briefing) shows it; other meetings' later items do not."""
    item = add_action_item(con, 6, "TSW", "下周报告议事会建立情况", dt.date(2026, 12, 10), "SP-03",
                           at=dt.datetime(2026, 11, 26, 15))
    assert item in set(meeting_pack(con, 6).actions["id"])
    assert item not in set(meeting_pack(con, 5).actions["id"])
