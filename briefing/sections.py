"""What the briefing says, independent of the file format: a cover and sections of tables.

Pure functions of a `MeetingPack`. The first sections make the first page (总体情况, 新达标指标, 在办督办事项,
退回的报送, 滞后指标 with the responsible department); the rest follow; the changed figures row by row go to the annex (附件).
Each table has narrow columns (several lines per cell) that read on a phone and in Word, and one
typed column per field for Excel, where officials sort and filter.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from warehouse.config import settings
from metrics.board import LATE, MISSING, REJECTED
from metrics.meeting import OPEN, MeetingPack
from metrics.progress import FAR_BEHIND, MET
from metrics.tasks import AWAITING_EVIDENCE, COMPLETED, OVERDUE
from ui import format as fmt

from . import formatting as F
from . import words as W
from .formatting import Num


@dataclass
class Table:
    sheet: str | None                           # Excel sheet name (≤ 31 characters); None: not in Excel
    title: str                                  # heading in Word and on the web page
    columns: list[str]                          # narrow columns, Word and web
    rows: list[list[list[str]]]                 # each cell: lines (the first is the main one)
    widths: list[float]                         # relative widths of the narrow columns
    sheet_columns: list[str]                    # one typed column per field, Excel
    sheet_rows: list[list]
    alert: list[bool] = field(default_factory=list)   # rows to mark (overdue), in narrow and sheet rows alike
    nowrap: tuple[int, ...] = ()                # short narrow columns kept on one line on the web page
    empty: str = W.NOTHING


@dataclass
class Section:
    key: str                                    # stable name: overview, met, lagging, actions, rejected, …
    title: str                                  # "三、滞后指标", "附件：数值变化明细（原值 → 新值）"
    intro: str
    tables: list[Table]
    chart: str | None = None                    # which chart the web page draws above the tables
    annex: bool = False


@dataclass(frozen=True)
class Cover:
    title: str                                  # 儿童友好城市建设工作简报
    issue: str                                  # 第N期
    office: str                                 # the issuing office
    date: str                                   # the meeting's date, 2026年1月27日
    meeting: str                                # the meeting's title, data cut-off and year


def file_stem(pack: MeetingPack) -> str:
    """"周例会简报_2026-01-27": named by the meeting's date, with "_会议7" added when several
    meetings share the date, so one briefing never overwrites another."""
    stem = W.FILE_STEM.format(date=f"{pd.Timestamp(pack.meeting['held_on']):%Y-%m-%d}")
    if int(pack.meeting.get("meetings_that_day", 1) or 1) > 1:
        stem += W.SAME_DAY.format(id=int(pack.meeting["id"]))
    return stem


def cover(pack: MeetingPack) -> Cover:
    m = pack.meeting
    return Cover(W.TITLE, W.ISSUE.format(n=pack.number), settings().issuing_office, F.day(m["held_on"]),
                 W.MEETING_LINE.format(title=F.text(m["title"]), as_of=F.moment(m["as_of"]),
                                       year=pack.year if pack.year is not None else F.DASH))


def sections(pack: MeetingPack) -> list[Section]:
    """The briefing's sections in order, numbered 一、二、…, the annex last: what every format shows."""
    ref = pd.Timestamp(pack.meeting["held_on"]).year
    as_of = F.moment(pack.meeting["as_of"], ref)
    first = fmt.missing(pack.meeting.get("previous_as_of"))
    # the first page: what the meeting decides on — progress, targets newly met, the city's lagging targets
    # with the department that answers for each — then the open action items and the reports sent back
    body = [_overview(pack), _newly_met(pack, first), _lagging_city(pack), _open_actions(pack, ref),
            _rejected(pack, ref, as_of), _changes(pack, ref, first), _lagging(pack), _missing(pack, ref, as_of),
            _tasks(pack, ref)]
    for i, s in enumerate(body, start=1):
        s.title = F.heading(i, s.title)
    return body + [_annex(pack, ref, first)]


def shown(s: Section) -> list[Table]:
    """The tables Word and the web page draw: an empty one whose note the section's intro already says is left out."""
    return [t for t in s.tables if t.rows or t.empty != s.intro]


# ---------------------------------------------------------------------------------- lookups
def _lookups(pack: MeetingPack) -> tuple[dict, dict, dict]:
    """Indicator names and units, and district names, from the pack's progress table."""
    p = pack.progress
    if p is None or p.empty:
        return {}, {}, {}
    first = p.drop_duplicates("indicator")
    return (dict(zip(first["indicator"], first["indicator_name"])), dict(zip(first["indicator"], first["unit"])),
            dict(zip(p["district_code"], p["district"])))


def _targets(pack: MeetingPack) -> dict:
    p = pack.progress
    if p is None or p.empty:
        return {}
    return {(r.indicator, r.district_code, int(r.year)): r.target for r in p.itertuples(index=False)}


# ---------------------------------------------------------------------------------- first page
def _overview(pack: MeetingPack) -> Section:
    """The summary sentence, then the status counts across (one column per status) with the change."""
    h = pack.headline
    counts, changes, sheet = [[W.COL["count"]]], [[W.COL["change"]]], []
    for r in h.itertuples(index=False):
        counts.append([fmt.number(r.count)])
        changes.append([W.STEADY if not fmt.missing(r.change) and int(r.change) == 0 else fmt.change(r.change, W.ITEMS)])
        sheet.append([F.status(r.status), F.plain(r.count), F.plain(r.previous), F.plain(r.change)])
    columns = [W.COL["status"]] + [F.status(s) for s in h["status"]]
    table = Table(W.SHEET["headline"][0], W.HEADLINE_TABLE, columns, [counts, changes], [1.2] + [1] * len(h),
                  W.SHEET["headline"][1], sheet)
    return Section("overview", W.OVERVIEW, pack.summary, [table], chart="status")


def _newly_met(pack: MeetingPack, first: bool) -> Section:
    """Targets whose status is now 已达标 and was not at the last meeting."""
    _, units, _ = _lookups(pack)
    targets = _targets(pack)
    c = pack.changes["status"]
    met = c[(c["status"] == MET) & (c["status_before"].fillna("") != MET)] if not first else c.iloc[0:0]
    rows, sheet = [], []
    for r in met.itertuples(index=False):
        unit = units.get(r.indicator, "")
        target = r.target if not fmt.missing(r.target) else targets.get((r.indicator, r.district_code, int(r.year)))
        now = fmt.value(r.value, unit, r.target, True, r.sign)
        rows.append([[r.indicator_name], [r.district], [now, W.TARGET.format(target=fmt.target(target, unit))]])
        sheet.append([r.indicator, r.indicator_name, r.district, F.status(r.status_before),
                      F.num(r.value, unit, now), F.num(target, unit)])
    empty = W.FIRST_MEETING if first else W.NEWLY_MET_NONE
    table = Table(W.SHEET["met"][0], W.NEWLY_MET, [W.COL["indicator"], W.COL["district"], W.COL["values"]], rows,
                  [2.8, 1.2, 1.8], W.SHEET["met"][1], sheet, empty=empty)
    return Section("met", W.NEWLY_MET, W.NEWLY_MET_INTRO.format(n=len(met)) if len(met) else empty, [table])


def _lagging_city(pack: MeetingPack) -> Section:
    """The city's lagging indicators, one line each with the department that leads on it (the first page);
    every row, with the districts, the gap and the pace needed, follows in the body (`_lagging`)."""
    lag = pack.lagging
    city = lag[lag["is_city"]] if "is_city" in lag else lag.iloc[0:0]
    readings = fmt.progress_rows(city)
    rows = [[[F.text(r.indicator_name)], [s.value], [s.target], [F.status(r.status)], [F.text(r.lead_department)]]
            for r, s in zip(city.itertuples(index=False), readings.itertuples(index=False))]
    districts = len(lag) - len(city)
    more = W.LAGGING_MORE.format(n=districts, detail=W.LAGGING_DETAIL) if districts else ""
    intro = (W.LAGGING_CITY_INTRO.format(n=len(city), place=pack.place) if len(city)
             else W.LAGGING_CITY_NONE.format(place=pack.place)) + more
    table = Table(None, W.LAGGING, [W.COL["indicator"], W.COL["values"], W.COL["target"], W.COL["status"],
                                    W.COL["lead"]], rows, [4.9, 2, 3, 2.4, 3.3], [], [], nowrap=(1, 3),
                  empty=W.LAGGING_NONE)
    return Section("lagging_city", W.LAGGING, intro if len(lag) else W.LAGGING_NONE, [table], chart="lagging")


def _lagging(pack: MeetingPack) -> Section:
    """Word and the web page show one row per lagging indicator — the city's figure, then the districts
    lagging on it in one line — so a page is not a list of every district; Excel keeps every row."""
    lag = pack.lagging
    readings = fmt.progress_rows(lag)
    rows, sheet = [], []
    for r, s in zip(lag.itertuples(index=False), readings.itertuples(index=False)):
        sheet.append([F.row_status(r._asdict()), r.indicator, r.indicator_name, r.district,
                      F.num(r.value, r.unit, s.value), F.num(r.target, r.unit), F.plain(r.target_year),
                      Num(None) if fmt.missing(r.attainment) else Num(float(r.attainment), F.percent_format(s.attainment)),
                      F.text(r.gap_text), F.text(r.pace), F.text(r.lead_department)])
    is_city = lag["is_city"] if "is_city" in lag else pd.Series(False, index=lag.index)
    for code in dict.fromkeys(lag["indicator"]):
        mine = lag[lag["indicator"] == code]
        city_rows, local = mine[is_city[mine.index]], mine[~is_city[mine.index]]
        top = (city_rows if not city_rows.empty else mine).iloc[0]
        names = "、".join(f"{d}（{w}）" if w == FAR_BEHIND else d for d, w in zip(local["district"], local["status"]))
        about = [F.text(top.indicator_name)] + ([W.LAGGING_DISTRICTS.format(names=names)] if names else [])
        lead = [F.text(top.lead_department)]
        if city_rows.empty:
            rows.append([about, [W.DISTRICTS_LAGGING.format(n=len(local))], [W.CITY_NOT_LAGGING.format(place=pack.place)], lead])
            continue
        read = readings.loc[top.name]
        pace = F.optional(top.pace)
        rows.append([about, [read["value"], W.TARGET.format(target=read["target"]), F.row_status(top.to_dict())],
                     [F.text(top.gap_text)] + ([pace] if pace else []), lead])
    table = Table(W.LAGGING, W.LAGGING, [W.COL["indicator"], W.COL["value_target"], W.COL["gap"], W.COL["lead"]],
                  rows, [2.3, 1.7, 2.1, 1.1],
                  W.SHEET["lagging"][1],
                  sheet, empty=W.LAGGING_NONE)
    city = int(is_city.sum())
    intro = W.LAGGING_INTRO.format(n=len(lag), place=pack.place, city=city, districts=len(lag) - city) if len(lag) else W.LAGGING_NONE
    return Section("lagging", W.LAGGING_DETAIL, intro, [table])


def _action_rows(items: pd.DataFrame, ref: int) -> tuple[list, list, list]:
    rows, sheet, alert = [], [], []
    for r in items.itertuples(index=False):
        about = "，".join(x for x in (F.optional(r.indicator_name), F.optional(r.district)) if x)
        overdue = bool(r.overdue)
        rows.append([[F.text(r.promise)] + ([about] if about else []), [F.text(r.department)],
                     [F.day(r.due_on, ref)], [r.state, W.OVERDUE] if overdue else [r.state]])
        sheet.append([int(r.id), F.text(r.promise), F.text(r.department), F.text(r.indicator_name), F.text(r.district),
                      F.date(r.due_on), r.state, W.YES if overdue else W.NO, F.date(r.meeting_on), F.text(r.note)])
        alert.append(overdue)
    return rows, sheet, alert


def _open_actions(pack: MeetingPack, ref: int) -> Section:
    a = pack.actions
    open_ = a[a["state"] == OPEN]
    rows, sheet, alert = _action_rows(open_, ref)
    table = Table(W.SHEET["actions"][0], W.OPEN_ACTIONS, ACTION_COLUMNS, rows, [3, 1.3, 1.3, 1.2], W.SHEET["actions"][1],
                  sheet, alert, nowrap=(2, 3), empty=W.OPEN_ACTIONS_NONE)
    done = len(a) - len(open_)
    intro = W.OPEN_ACTIONS_INTRO.format(open=len(open_), overdue=int(open_["overdue"].sum()), done=done) if len(
        open_) else W.OPEN_ACTIONS_NONE
    return Section("actions", W.OPEN_ACTIONS, intro, [table])


def _board_rows(board: pd.DataFrame, ref: int) -> tuple[list, list]:
    rows, sheet = [], []
    for r in board.itertuples(index=False):
        days = int(r.days_late) if not fmt.missing(r.days_late) else 0
        state = F.board_status(r.status) + (" " + W.OVERDUE_DAYS.format(days=days) if days else "")
        contact = [F.text(r.contact)] + ([F.optional(r.phone)] if F.optional(r.phone) else [])
        rows.append([[F.text(r.department)], [F.text(r.period), W.DEADLINE.format(day=F.day(r.deadline, ref))],
                     [state] + ([F.optional(r.file_name)] if r.status == REJECTED and F.optional(r.file_name) else []),
                     contact])
        sheet.append([F.text(r.department), F.text(r.period), F.board_status(r.status), F.date(r.deadline),
                      Num(days, "0"), F.text(r.file_name), F.when(r.received_at), F.text(r.contact), F.text(r.phone)])
    return rows, sheet


ACTION_COLUMNS = [W.COL["promise"], W.COL["owner"], W.COL["due"], W.COL["status"]]
BOARD_COLUMNS = [W.COL["department"], W.COL["period"], W.COL["status"], W.COL["contact"]]


def _rejected(pack: MeetingPack, ref: int, as_of: str) -> Section:
    """Reports for which only files with errors arrived: sent back, to be corrected and sent again."""
    m = pack.missing[pack.missing["status"] == REJECTED]
    rows, sheet = _board_rows(m, ref)
    none = W.REJECTED_NONE.format(as_of=as_of)
    table = Table(W.SHEET["rejected"][0], W.REJECTED_FILES, BOARD_COLUMNS, rows, [1.4, 1.5, 2, 1.4],
                  W.SHEET["rejected"][1], sheet,
                  empty=none)
    return Section("rejected", W.REJECTED_FILES, W.REJECTED_INTRO.format(as_of=as_of, n=len(m)) if len(m) else none,
                   [table])


# ---------------------------------------------------------------------------------- the rest
def _changes(pack: MeetingPack, ref: int, first: bool) -> Section:
    c = pack.changes
    units = _lookups(pack)[1]
    rows, sheet = [], []
    for r in ([] if first else c["status"].itertuples(index=False)):
        unit = units.get(r.indicator, "")
        # each value read against the target as its own status judged it (91.9997% never "92.0%")
        before = fmt.value(r.value_before, unit, r.target, r.met_before, r.sign)
        after = fmt.value(r.value, unit, r.target, r.met, r.sign)
        rows.append([[r.indicator_name, r.district], [f"{F.status(r.status_before)} → {F.status(r.status)}"],
                     [f"{before} → {after}"]])
        sheet.append([r.indicator, r.indicator_name, r.district, F.status(r.status_before), F.status(r.status),
                      F.num(r.value_before, unit, before), F.num(r.value, unit, after)])
    status = Table(W.SHEET["status"][0], W.STATUS_TABLE, [W.COL["indicator"], W.COL["status_change"],
                                                          W.COL["values"]], rows, [2.2, 2.2, 1.6], W.SHEET["status"][1],
                   sheet)

    rows, sheet = [], []
    for r in ([] if first else c["rank"].itertuples(index=False)):
        moved = int(r.rank_before) - int(r.rank)
        arrow = f"↑{moved}" if moved > 0 else f"↓{-moved}"
        rows.append([[r.indicator_name], [r.district], [W.RANK_MOVE.format(before=int(r.rank_before), after=int(r.rank), arrow=arrow)]])
        sheet.append([r.indicator, r.indicator_name, r.district, F.plain(r.rank_before), F.plain(r.rank),
                      F.plain(moved)])
    rank = Table(W.SHEET["rank"][0], W.RANK_TABLE, [W.COL["indicator"], W.COL["district"], W.COL["rank"]], rows,
                 [2.6, 1.4, 2], W.SHEET["rank"][1], sheet)

    a = pack.actions
    rows, sheet, alert = _action_rows(a[a["state"] != OPEN], ref)
    closed = Table(W.SHEET["closed"][0], W.CLOSED_TABLE, ACTION_COLUMNS, rows, [3, 1.3, 1.3, 1.2], W.SHEET["closed"][1],
                   sheet, alert, nowrap=(2, 3))
    if first:
        for t in (status, rank):
            t.empty = W.FIRST_MEETING
        return Section("changes", W.CHANGES, W.FIRST_MEETING, [status, rank, closed])
    subs = c["submissions"]
    intro = W.CHANGES_INTRO.format(
        date=F.day(pack.meeting["previous_as_of"], ref), as_of=F.moment(pack.meeting["previous_as_of"], ref),
        files=len(subs), revisions=int(subs["revises"].fillna(False).astype(bool).sum()) if len(subs) else 0,
        rejected=int((subs["status"] == "rejected").sum()) if len(subs) else 0,
        values=len(c["values"]), status=len(c["status"]), met=len(c["met"]), rank=len(c["rank"]))
    return Section("changes", W.CHANGES, intro, [status, rank, closed])


def _missing(pack: MeetingPack, ref: int, as_of: str) -> Section:
    m = pack.missing[pack.missing["status"].isin([LATE, MISSING])]
    rows, sheet = _board_rows(m, ref)
    none = W.MISSING_NONE.format(as_of=as_of)
    table = Table(W.SHEET["missing"][0], W.MISSING_LATE, BOARD_COLUMNS, rows, [1.4, 1.5, 1.5, 1.6],
                  W.SHEET["missing"][1], sheet,
                  empty=none, nowrap=(2,))
    intro = W.MISSING_INTRO.format(as_of=as_of, late=int((m["status"] == LATE).sum()),
                                   missing=int((m["status"] == MISSING).sum())) if len(m) else none
    return Section("missing", W.MISSING_LATE, intro, [table])


def _tasks(pack: MeetingPack, ref: int) -> Section:
    t = pack.tasks
    rows, sheet, alert = [], [], []
    for r in t.itertuples(index=False):
        detail = "，".join(x for x in (F.optional(r.note), F.optional(r.evidence)) if x)
        # the pack puts 逾期 and 待佐证 first; both are marked (a missing due date reads "—", never 待确认)
        rows.append([[F.text(r.name)] + ([detail] if detail else []), [F.text(r.department)], [F.day(r.due_on, ref)],
                     [fmt.task_state(r.state)]])
        sheet.append([F.text(r.code), F.text(r.name), F.text(r.department), F.date(r.due_on), r.state,
                      F.date(r.updated_on), F.text(r.evidence), F.text(r.note)])
        alert.append(r.state in (OVERDUE, AWAITING_EVIDENCE))
    table = Table(W.TASKS, W.TASKS, [W.COL["task"], W.COL["lead"], W.COL["due"], W.COL["status"]], rows,
                  [3, 1.3, 1.3, 1.2], W.SHEET["tasks"][1], sheet, alert, nowrap=(2, 3))
    intro = W.TASKS_INTRO.format(open=int((t["state"] != COMPLETED).sum()), overdue=int((t["state"] == OVERDUE).sum()),
                                 awaiting=int((t["state"] == AWAITING_EVIDENCE).sum()),
                                 done=int((t["state"] == COMPLETED).sum())) if len(t) else W.NOTHING
    return Section("tasks", W.TASKS, intro, [table])


def _annex(pack: MeetingPack, ref: int, first: bool) -> Section:
    """Every figure new or revised since the last meeting: old → new, with 分子/分母 for rates, who and when."""
    names, units, districts = _lookups(pack)
    rows, sheet = [], []
    for r in ([] if first else pack.changes["values"].itertuples(index=False)):
        unit = units.get(r.indicator, "")
        kind = W.NEW if r.change == "new" else W.REVISED
        lines = [f"{kind}：{fmt.value(r.value_before, unit)} → {fmt.value(r.value_after, unit)}"]
        if not (fmt.missing(r.numerator_after) and fmt.missing(r.numerator_before)):
            lines.append(W.RATE_PARTS + f"{F.count(r.numerator_before)}/{F.count(r.denominator_before)} → "
                                        f"{F.count(r.numerator_after)}/{F.count(r.denominator_after)}")
        name, district = names.get(r.indicator, r.indicator), districts.get(r.district_code, r.district_code)
        rows.append([[name, f"{district} · {r.period}"], lines, [F.text(r.department), F.moment(r.received_at, ref)]])
        sheet.append([kind, r.indicator, name, district, r.period, F.num(r.value_before, unit),
                      F.num(r.value_after, unit), F.plain(r.numerator_before), F.plain(r.numerator_after),
                      F.plain(r.denominator_before), F.plain(r.denominator_after), F.text(r.department),
                      F.text(r.file_name), F.when(r.received_at)])
    empty = W.ANNEX_FIRST if first else W.NOTHING
    table = Table(W.SHEET["values"][0], W.ANNEX_VALUES, [W.COL["indicator"], W.COL["value_change"], W.COL["source"]],
                  rows, [2.2, 2.4, 1.4], W.SHEET["values"][1], sheet, empty=empty)
    return Section("annex", f"{W.ANNEX}：{W.ANNEX_VALUES}", W.ANNEX_INTRO if rows else empty, [table], annex=True)
