"""What a weekly meeting shows, computed as of the moment the meeting froze its figures.

Opening a past meeting recomputes everything from the submissions received by its `as_of`,
so it shows exactly what was shown then, whatever arrived later.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from .board import LATE, MISSING, REJECTED, submission_board
from .diff import diff
from .progress import BEHIND, FAR_BEHIND, MET, STATUSES, default_year, progress_table
from .ranking import district_ranking
from .tasks import AWAITING_EVIDENCE, COMPLETED, OVERDUE, attention_first, task_status
from .values import area_names, city_code, places

OPEN = "进行中"
CITY_WORD = "全市"


def place_word(con: duckdb.DuckDBPyConnection, code: str) -> str:
    """全市 for a city with districts only; in an area tree with levels between, the place's own name."""
    return CITY_WORD if len(places(con)) <= 1 else str(area_names(con).get(code, CITY_WORD))


def meetings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every meeting, newest first, with its ordinal number (第N次, in the order figures were frozen)
    and the one before it."""
    return con.execute("""
        SELECT id, held_on, title, departments, as_of,
               row_number() OVER (ORDER BY as_of, id) AS number,
               count(*) OVER (PARTITION BY held_on) AS meetings_that_day,
               lag(id) OVER (ORDER BY as_of, id) AS previous_id,
               lag(as_of) OVER (ORDER BY as_of, id) AS previous_as_of,
               lead(as_of) OVER (ORDER BY as_of, id) AS next_as_of
        FROM meeting ORDER BY as_of DESC, id DESC
    """).df()


def action_items(con: duckdb.DuckDBPyConnection, as_of: dt.datetime, on: dt.date,
                 meeting_id: int | None = None) -> pd.DataFrame:
    """Action items created by `as_of` with their state at `as_of`; overdue when open and due before `on`.
    Items of `meeting_id` itself are always in, even when added to it later (as they were when added)."""
    items = con.execute("""
        WITH state AS (
            SELECT e.action_item_id, arg_max(e.state, e.changed_at) AS state, arg_max(e.note, e.changed_at) AS note,
                   max(e.changed_at) AS changed_at
            FROM action_item_event e JOIN action_item a ON a.id = e.action_item_id
            WHERE e.changed_at <= CASE WHEN a.meeting_id = $meeting THEN greatest($as_of, a.created_at)
                                       ELSE $as_of END
            GROUP BY e.action_item_id
        )
        SELECT a.id, a.meeting_id, m.held_on AS meeting_on, a.indicator_code, i.name AS indicator_name,
               a.district_code, d.name AS district, a.task_code, a.department_code, dp.name AS department,
               a.promise, a.due_on, s.state, s.note, s.changed_at
        FROM action_item a
        JOIN state s ON s.action_item_id = a.id
        JOIN meeting m ON m.id = a.meeting_id
        LEFT JOIN indicator i ON i.code = a.indicator_code
        LEFT JOIN district d ON d.code = a.district_code
        LEFT JOIN department dp ON dp.code = a.department_code
        WHERE a.created_at <= $as_of OR a.meeting_id = $meeting
        ORDER BY a.due_on, a.id
    """, {"as_of": as_of, "meeting": meeting_id}).df()
    items["overdue"] = (items["state"] == OPEN) & (pd.to_datetime(items["due_on"]).dt.date < on)
    return items


def action_item_history(con: duckdb.DuckDBPyConnection, item_id: int) -> pd.DataFrame:
    return con.execute("SELECT changed_at, state, note, by_whom FROM action_item_event WHERE action_item_id = ? "
                       "ORDER BY changed_at", [item_id]).df()


def existing_item(actions: pd.DataFrame, meeting_id: int, indicator: str, district_code: str | None) -> int | None:
    """The action item this meeting already made for a figure, if any (one per indicator and district)."""
    same = actions[(actions["meeting_id"] == meeting_id) & (actions["indicator_code"] == indicator)
                   & (actions["district_code"].fillna("") == (district_code or ""))]
    return None if same.empty else int(same.iloc[0]["id"])


def months_left(row, as_of: dt.date) -> int:
    """Months from `as_of` to the end of the row's target year, the current month counted; ≤ 0 once it is over."""
    end = dt.date(int(row["target_year"]), 12, 31)
    return (end.year - as_of.year) * 12 + end.month - as_of.month + (1 if end.day >= as_of.day else 0)


def pace_needed(row, as_of: dt.date) -> str:
    """What each remaining month must bring to reach the target by the end of its year:
    (target − value) ÷ months left, in percentage points for rates and units for counts.
    Once the target's year is over: "2025年目标未完成，还需管理1名儿童" (the row's gap), or the distance
    "2025年目标未完成，差 4.00 个百分点" when the row has no gap in units."""
    if pd.isna(row["target"]) or pd.isna(row["value"]) or pd.isna(row["target_year"]):
        return ""
    months = months_left(row, as_of)
    unit = {"%": "个百分点", "‰": "个千分点"}.get(row["unit"], row["unit"])
    if months <= 0:  # the target's year is over: say so, with what is still missing in real units
        missing = row.get("gap_text") if isinstance(row.get("gap_text"), str) and row.get("gap_text") else None
        if missing and "目标未完成" in missing:
            return missing
        if missing is None:  # a shortfall under 0.005 keeps two significant digits: never "差 0.00"
            short = abs(row["target"] - row["value"])
            missing = f"差 {short:,.2f} {unit}" if short >= 0.005 else f"差 {short:.2g} {unit}"
        return f"{int(row['target_year'])}年目标未完成，{missing}"
    step = abs(row["target"] - row["value"]) / months
    verb = "提高" if row["direction"] == "higher" else "降低"
    return f"每月需{verb} {step:,.2f} {unit}（距目标年底 {months} 个月）"


@dataclass
class MeetingPack:
    """Everything the meeting page and the briefing show, frozen at the meeting's as_of."""
    meeting: dict
    year: int | None
    headline: pd.DataFrame                  # status, count, previous, change
    changes: dict[str, pd.DataFrame]        # the metrics diff since the previous meeting
    lagging: pd.DataFrame
    missing: pd.DataFrame                   # late, missing and rejected submissions
    ranking: pd.DataFrame
    actions: pd.DataFrame
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)   # tasks not yet 已完成, and those completed since; 逾期, 待佐证 first
    progress: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    demo: bool = False
    number: int = 0                         # 第N次 meeting (and 第N期 briefing)
    place: str = CITY_WORD                  # how the place is named: 全市, or its name in an area tree (河北省)

    @property
    def newly_met(self) -> pd.DataFrame:
        """Figures (any year, city or district) that reached their target since the last meeting."""
        return self.changes["met"]

    @property
    def slipped(self) -> pd.DataFrame:
        """Figures that were 已达标 at the last meeting and are not now."""
        s = self.changes["status"]
        return s[(s["status_before"] == MET) & (s["status"] != MET)]

    @property
    def since_last(self) -> str:
        """"较上次会议新增达标2项、退出达标1项；收到报送文件1份。" — or that this is the first meeting."""
        if pd.isna(self.meeting.get("previous_as_of")):
            return "本次为首次会议，没有可比较的上次会议。"
        met, slipped = len(self.newly_met), len(self.slipped)
        files = len(self.changes["submissions"])
        change = f"较上次会议新增达标{met}项{self._scope(self.newly_met)}" if met else "较上次会议没有新增达标"
        if slipped:
            change += f"、退出达标{slipped}项{self._scope(self.slipped)}"
        return change + f"；其间收到报送文件{files}份。"

    def _scope(self, rows: pd.DataFrame) -> str:
        """Where the changed figures are: "（全市1项、区县2项；2026年）" — the cards above count only the
        place's figures of the meeting's year, so a change elsewhere says so."""
        cities = set(self.progress.loc[self.progress["is_city"], "district_code"]) if not self.progress.empty else set()
        at_city = int(rows["district_code"].isin(cities).sum())
        levels = [f"{self.place}{at_city}项"] * bool(at_city) + [f"区县{len(rows) - at_city}项"] * bool(len(rows) - at_city)
        years = "、".join(str(int(y)) for y in sorted(set(rows["year"])))
        return f"（{'、'.join(levels)}；{years}年）"

    @property
    def summary(self) -> str:
        """The briefing's opening sentence, written from the figures."""
        counts = dict(zip(self.headline["status"], self.headline["count"]))
        total = int(sum(counts.values()))
        if self.year is None:
            return "尚无监测数据。"
        as_of = pd.Timestamp(self.meeting["as_of"])
        parts = [f"截至{as_of.month}月{as_of.day}日，{self.year}年{total}项指标中"]
        parts.append("，".join(f"{w}{int(counts.get(w, 0))}项" for w in STATUSES if counts.get(w, 0)))
        text = parts[0] + parts[1] + "。" + self.since_last

        late = (self.missing["status"] == LATE).sum()
        owed = self.missing["status"].isin([MISSING, REJECTED]).sum()
        text += f"本期报送逾期{late}份、未报{owed}份；"
        open_items = (self.actions["state"] == OPEN).sum()
        overdue = int(self.actions["overdue"].sum())
        text += f"督办事项在办{open_items}项，其中逾期{overdue}项"
        if not self.tasks.empty:
            text += f"；任务清单逾期{int((self.tasks['state'] == OVERDUE).sum())}项"
            if awaiting := int((self.tasks["state"] == AWAITING_EVIDENCE).sum()):
                text += f"、已报完成待佐证{awaiting}项"
        text += "。"
        return text


def meeting_pack(con: duckdb.DuckDBPyConnection, meeting_id: int, year: int | None = None,
                 tolerance: float | None = None, place: str | None = None) -> MeetingPack:
    """The six screens of a meeting, computed from what was received by the meeting's as_of, for `place`
    (an area of the tree; the root when None) and the areas right under it."""
    all_meetings = meetings(con)
    row = all_meetings[all_meetings["id"] == meeting_id]
    if row.empty:
        raise KeyError(f"没有第 {meeting_id} 次会议")
    meeting = row.iloc[0].to_dict()
    as_of = pd.Timestamp(meeting["as_of"]).to_pydatetime()
    previous_as_of = None if pd.isna(meeting["previous_as_of"]) else pd.Timestamp(meeting["previous_as_of"]).to_pydatetime()

    city = place or city_code(con)
    full = progress_table(con, None, as_of, "all", tolerance, area=city)
    full["is_city"] = full["district_code"] == city   # the place stands where the city stands
    year = year or default_year(full)
    table = full[full["year"] == year]
    city_rows = table[table["district_code"] == city]
    now_counts = city_rows["status"].value_counts()
    if previous_as_of:
        before = progress_table(con, year, previous_as_of, "all", tolerance, area=city)
        before_counts = before.loc[before["district_code"] == city, "status"].value_counts()
    else:
        before_counts = pd.Series(dtype="int64")
    headline = pd.DataFrame({"status": list(STATUSES)})
    headline["count"] = headline["status"].map(now_counts).fillna(0).astype(int)
    headline["previous"] = headline["status"].map(before_counts).fillna(0).astype(int) if previous_as_of else pd.NA
    headline["change"] = headline["count"] - headline["previous"] if previous_as_of else pd.NA

    # A first meeting has nothing to compare with: every figure would read as "new". Changes cover every
    # year: in-year monthly reports move this year's figures while the meeting's year is the last whole one.
    changes = diff(con, previous_as_of or as_of, as_of, area=city)
    lagging = table[table["status"].isin([FAR_BEHIND, BEHIND])].copy()
    lagging["is_city"] = lagging["district_code"] == city
    lagging["severity"] = (lagging["status"] == FAR_BEHIND).astype(int)
    lagging = lagging.sort_values(["severity", "is_city", "indicator"], ascending=[False, False, True]).drop(
        columns="severity")
    # once the target year is over the gap already says what is missing: the pace column is for in-year targets
    lagging["pace"] = ["" if pd.isna(r["target_year"]) or months_left(r, as_of.date()) <= 0
                       else pace_needed(r, as_of.date()) for _, r in lagging.iterrows()]
    board = submission_board(con, as_of)
    missing = board[board["status"].isin([LATE, MISSING, REJECTED])].sort_values("days_late", ascending=False)
    ranking = district_ranking(table)
    # Action items are made and closed during the meeting, after its figures froze: the meeting
    # shows them as they stood at the end of its day (or when the next meeting started, if sooner).
    held_on = pd.Timestamp(meeting["held_on"]).date()
    end_of_meeting = max(as_of, dt.datetime.combine(held_on, dt.time.max))
    if not pd.isna(meeting["next_as_of"]):
        end_of_meeting = max(as_of, min(end_of_meeting, pd.Timestamp(meeting["next_as_of"]).to_pydatetime()))
    actions = action_items(con, end_of_meeting, held_on, meeting_id)
    closed_since = actions["changed_at"] > (previous_as_of or dt.datetime(1900, 1, 1))
    actions = actions[(actions["state"] == OPEN) | closed_since]
    actions = actions.assign(indicator_met=indicator_met(actions, full, city))
    all_tasks = task_status(con, as_of, pd.Timestamp(meeting["held_on"]).date())
    since = pd.Timestamp(previous_as_of or dt.datetime(1900, 1, 1))   # a report or a piece of evidence since
    recent = (all_tasks["received_at"] > since) | (all_tasks["evidence_at"] > since)
    # 逾期 and 待佐证 first: what the meeting has to act on
    tasks = attention_first(all_tasks[(all_tasks["state"] != COMPLETED) | recent.fillna(False)]).reset_index(drop=True)
    demo = bool(con.execute("SELECT count(*) FROM meta WHERE key = 'demo' AND value = 'true'").fetchall()[0][0])
    return MeetingPack(meeting, year, headline, changes, lagging.reset_index(drop=True),
                       missing.reset_index(drop=True), ranking, actions.reset_index(drop=True), tasks, table, demo,
                       number=int(meeting["number"]), place=place_word(con, city))


def indicator_met(actions: pd.DataFrame, table: pd.DataFrame, city: str) -> pd.Series:
    """Per action item: True when the figure it chases (its indicator, in its district or else the city)
    is 已达标 in its latest year with data in `table` — an open item that can be closed ("指标已达标，可办结")."""
    rated = table[table["status"].isin([s for s in STATUSES if s != STATUSES[-1]])]
    latest = rated.sort_values("year").drop_duplicates(["indicator", "district_code"], keep="last")
    met = latest.loc[latest["status"] == MET, ["indicator", "district_code"]].assign(_met=True)
    keys = actions[["indicator_code", "district_code"]].fillna({"district_code": city}).rename(
        columns={"indicator_code": "indicator"})
    return keys.merge(met, how="left", on=["indicator", "district_code"])["_met"].fillna(False).astype(bool).set_axis(
        actions.index)
