"""A meeting's briefing as file contents: Word (.docx), Excel (.xlsx) and one self-contained web page.

Pure functions of a `MeetingPack`: nothing here reads the warehouse. The pack is first turned into
sections of tables (`sections`); each format then lays the same tables out its own way:
Word and the web page use narrow tables (few columns, several lines per cell) that read on a phone;
Excel gets one sheet per table with one typed column per field, so officials can sort and filter.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metrics.meeting import MeetingPack
from ui import format as fmt
from ui import strings as S

# ----------------------------------------------------------------------------------------- words
# Shown to officials; kept here because the briefing is the only place that uses them.
DEMO_MARK = "演示数据（生成的数字，非真实统计）"
FILE_STEM = "周例会简报_{date}"
APP_NAME = S.APP_TITLE
HEADLINE = "主要进展"
CHANGES = "上次会议以来的变化"
LAGGING = "滞后指标"
MISSING = "未报和逾期"
ACTIONS = "督办事项"
TASKS = S.TASKS
TASKS_INTRO = "未完成 {open} 项，其中逾期 {overdue} 项；上次会议以来报告完成 {done} 项。"
SUMMARY_SHEET = "简报摘要"
NOTHING = S.NOTHING
FIRST_MEETING = "本次是第一次会议，没有可对比的上次会议。"
META_LINE = "会议日期：{held}　数据截至：{as_of}　年度：{year}年"
CHANGES_INTRO = ("对比上次会议（{date}，数据截至 {as_of}）：收到报送 {files} 份（其中更正 {revisions} 份、退回 {rejected} 份）；"
                 "数值变化 {values} 处，状态变化 {status} 项，新达标 {met} 项，排名变化 {rank} 处。")
LAGGING_INTRO = "共 {n} 项（全市 {city} 项，区县 {districts} 项）。“所需进度”是距目标年底每月还需的提高（或降低）幅度。"
MISSING_INTRO = "截至 {as_of}，逾期 {late} 份、未报 {missing} 份、退回 {rejected} 份。"
MISSING_NONE = "截至 {as_of}，没有逾期、未报或退回的报送。"
ACTIONS_INTRO = "在办 {open} 项，其中逾期 {overdue} 项；上次会议以来办结 {done} 项。"
CHART_STATUS = "{year}年全市指标状态（项）"
CHART_LAGGING = "全市滞后指标的目标完成度（数值 ÷ 目标）"
CHART_LAGGING_DISTRICTS = "滞后指标的目标完成度（数值 ÷ 目标，前 {n} 项）"
NEW, REVISED = "新报", "更正"
RATE_PARTS = "分子/分母 "
OVERDUE_DAYS = "{days} 天"
LEAD = "{department}牵头"
FOOTER = "由{app}生成；数字按会议冻结时（{as_of}）已收到的报送计算。"
# Short column names: Word and the web page are read on phones.
COL = {"status": "状态", "count": "项数", "change": "较上次", "indicator": "指标", "value_change": "原值 → 新值",
       "source": "来源", "status_change": "状态变化", "values": "数值", "district": "区县", "rank": "排名",
       "value_target": "数值 / 目标", "gap": "差距与所需进度", "department": "单位", "period": "统计期",
       "contact": "联系人", "promise": "督办事项", "owner": "责任单位", "due": "期限"}
STEADY = "持平"

RED = "C00000"
GREY = "666666"


# ------------------------------------------------------------------------------------ the model
@dataclass(frozen=True)
class Num:
    """A number for Excel with the format that shows it the way ui.format does."""
    value: float | int | None
    format: str = "General"


@dataclass
class Table:
    sheet: str                                  # Excel sheet name (≤ 31 characters)
    title: str                                  # heading in Word and on the web page
    columns: list[str]                          # narrow columns, Word and web
    rows: list[list[list[str]]]                 # each cell: lines (the first is the main one)
    widths: list[float]                         # relative widths of the narrow columns
    sheet_columns: list[str]                    # one typed column per field, Excel
    sheet_rows: list[list]
    alert: list[bool] = field(default_factory=list)   # rows to mark in red (overdue)
    nowrap: tuple[int, ...] = ()                # short narrow columns kept on one line on the web page
    empty: str = NOTHING


@dataclass
class Section:
    title: str
    intro: str
    tables: list[Table]
    chart: str | None = None                    # which chart the web page draws above the tables


def file_stem(pack: MeetingPack) -> str:
    """"周例会简报_2026-01-27": named by the meeting's date, with "_会议7" added when several
    meetings share the date, so one briefing never overwrites another."""
    stem = FILE_STEM.format(date=f"{pd.Timestamp(pack.meeting['held_on']):%Y-%m-%d}")
    if int(pack.meeting.get("meetings_that_day", 1) or 1) > 1:
        stem += f"_会议{int(pack.meeting['id'])}"
    return stem


# ------------------------------------------------------------------------------- small formatters
def _day(x, ref_year: int | None = None) -> str:
    if fmt.missing(x):
        return "—"
    t = pd.Timestamp(x)
    return f"{t.month}月{t.day}日" if t.year == ref_year else f"{t.year}年{t.month}月{t.day}日"


def _moment(x, ref_year: int | None = None) -> str:
    return "—" if fmt.missing(x) else f"{_day(x, ref_year)} {pd.Timestamp(x):%H:%M}"


def _count(x) -> str:
    """A numerator or denominator: whole numbers without decimals."""
    return fmt.number(x, 0 if fmt.missing(x) or float(x).is_integer() else 2)


def _text(x) -> str:
    return "" if fmt.missing(x) else str(x)


def _num(x, unit: str, shown: str | None = None) -> Num:
    """A figure in its unit for Excel, displayed like ui.format.value (93.5%, 1,234 个, 4.55 个/千人);
    with as many decimals as `shown` (the figure read against its target, e.g. 91.9997%) has."""
    if fmt.missing(x):
        return Num(None)
    x, unit = float(x), unit if isinstance(unit, str) else ""
    suffix = "" if not unit or '"' in unit or "\\" in unit else f'"{unit}"' if unit in ("%", "‰") else f'" {unit}"'
    digits = len(shown.split(unit)[0].strip().split(".")[1]) if shown and "." in shown.split(unit)[0] else None
    if digits is not None:
        return Num(x, "#,##0." + "0" * digits + suffix)
    if unit in ("%", "‰"):
        return Num(x, "#,##0.0" + suffix)
    return Num(int(x) if x.is_integer() else x, ("#,##0" if x.is_integer() else "#,##0.00") + suffix)


def _percent_format(shown: str) -> str:
    """An Excel percentage format with as many decimals as `shown` ("99.9997%" → "0.0000%")."""
    digits = len(shown.rstrip("%").split(".")[1]) if "." in shown else 1
    return "0." + "0" * digits + "%"


def _plain(x) -> Num:
    if fmt.missing(x):
        return Num(None)
    x = float(x)
    return Num(int(x) if x.is_integer() else x, "#,##0" if x.is_integer() else "#,##0.00")


def _when(x) -> dt.datetime | dt.date | None:
    if fmt.missing(x):
        return None
    return pd.Timestamp(x).to_pydatetime()


def _date(x) -> dt.date | None:
    return None if fmt.missing(x) else pd.Timestamp(x).date()


def _lookups(pack: MeetingPack) -> tuple[dict, dict, dict]:
    """Indicator names and units, and district names, from the pack's progress table."""
    p = pack.progress
    if p is None or p.empty:
        return {}, {}, {}
    first = p.drop_duplicates("indicator")
    names = dict(zip(first["indicator"], first["indicator_name"]))
    units = dict(zip(first["indicator"], first["unit"]))
    districts = dict(zip(p["district_code"], p["district"]))
    return names, units, districts


def _targets(pack: MeetingPack) -> dict:
    p = pack.progress
    if p is None or p.empty:
        return {}
    return {(r.indicator, r.district_code, int(r.year)): r.target for r in p.itertuples(index=False)}


# ---------------------------------------------------------------------------------- the sections
def sections(pack: MeetingPack) -> list[Section]:
    """The briefing's sections, in order, with their tables: what every format shows."""
    meeting = pack.meeting
    ref = pd.Timestamp(meeting["held_on"]).year
    as_of = _moment(meeting["as_of"], ref)
    return [
        Section(HEADLINE, "", [_headline(pack)], chart="status"),   # the summary sentence opens the briefing
        _changes(pack, ref),
        _lagging(pack),
        _missing(pack, ref, as_of),
        _actions(pack, ref),
        _tasks(pack, ref),
    ]


def _headline(pack: MeetingPack) -> Table:
    h = pack.headline
    rows, sheet = [], []
    for r in h.itertuples(index=False):
        change = STEADY if not fmt.missing(r.change) and int(r.change) == 0 else fmt.change(r.change, "项")
        rows.append([[fmt.status(r.status)], [fmt.number(r.count)], [change]])
        sheet.append([fmt.status(r.status), _plain(r.count), _plain(r.previous), _plain(r.change)])
    return Table(HEADLINE, HEADLINE, [COL["status"], COL["count"], COL["change"]], rows, [2, 1, 1.2],
                 ["状态", "项数", "上次会议", "变化"], sheet)


def _changes(pack: MeetingPack, ref: int) -> Section:
    c = pack.changes
    names, units, districts = _lookups(pack)
    targets = _targets(pack)
    first = fmt.missing(pack.meeting.get("previous_as_of"))
    # values: new or revised figures, old → new
    rows, sheet = [], []
    if not first:
        for r in c["values"].itertuples(index=False):
            unit = units.get(r.indicator, "")
            kind = NEW if r.change == "new" else REVISED
            if not fmt.missing(r.value_after) or not fmt.missing(r.value_before):
                shown = f"{fmt.value(r.value_before, unit)} → {fmt.value(r.value_after, unit)}"
            else:
                shown = (RATE_PARTS + f"{_count(r.numerator_before)}/{_count(r.denominator_before)} → "
                         f"{_count(r.numerator_after)}/{_count(r.denominator_after)}")
            name = names.get(r.indicator, r.indicator)
            district = districts.get(r.district_code, r.district_code)
            rows.append([[name, f"{district} · {r.period}"], [f"{kind}：{shown}"],
                         [_text(r.department), _moment(r.received_at, ref)]])
            sheet.append([kind, r.indicator, name, district, r.period, _num(r.value_before, unit),
                          _num(r.value_after, unit), _plain(r.numerator_before), _plain(r.numerator_after),
                          _plain(r.denominator_before), _plain(r.denominator_after), _text(r.department),
                          _text(r.file_name), _when(r.received_at)])
    values = Table("数值变化", S.CHANGES_VALUES, [COL["indicator"], COL["value_change"], COL["source"]], rows,
                   [2.2, 2.2, 1.4],
                   ["类型", "指标编码", "指标", "区县", "统计期", "原值", "新值", "原分子", "新分子", "原分母", "新分母",
                    "填报单位", "文件", "接收时间"], sheet)

    rows, sheet = [], []
    if not first:
        for r in c["status"].itertuples(index=False):
            unit = units.get(r.indicator, "")
            # each value read against the target as its own status judged it (91.9997% never "92.0%")
            before = fmt.value(r.value_before, unit, r.target, r.met_before, r.sign)
            after = fmt.value(r.value, unit, r.target, r.met, r.sign)
            rows.append([[r.indicator_name, r.district],
                         [f"{fmt.status(r.status_before)} → {fmt.status(r.status)}"], [f"{before} → {after}"]])
            sheet.append([r.indicator, r.indicator_name, r.district, fmt.status(r.status_before),
                          fmt.status(r.status), _num(r.value_before, unit), _num(r.value, unit)])
    status = Table("状态变化", S.CHANGES_STATUS, [COL["indicator"], COL["status_change"], COL["values"]], rows,
                   [2.2, 2.2, 1.6], ["指标编码", "指标", "区县", "原状态", "新状态", "原值", "新值"], sheet)

    rows, sheet = [], []
    if not first:
        for r in c["met"].itertuples(index=False):
            unit = units.get(r.indicator, "")
            target = targets.get((r.indicator, r.district_code, int(r.year)))
            rows.append([[r.indicator_name], [r.district],
                         [f"{fmt.value(r.value, unit, r.target, True, r.sign)}（目标 {fmt.target(target, unit)}）"]])
            sheet.append([r.indicator, r.indicator_name, r.district, _num(r.value, unit), _num(target, unit)])
    met = Table("新达标", S.CHANGES_MET, [COL["indicator"], COL["district"], COL["values"]], rows, [2.6, 1.2, 2],
                ["指标编码", "指标", "区县", "数值", "目标值"], sheet)

    rows, sheet = [], []
    if not first:
        for r in c["rank"].itertuples(index=False):
            moved = int(r.rank_before) - int(r.rank)
            arrow = f"↑{moved}" if moved > 0 else f"↓{-moved}"
            rows.append([[r.indicator_name], [r.district], [f"第{int(r.rank_before)} → 第{int(r.rank)}（{arrow}）"]])
            sheet.append([r.indicator, r.indicator_name, r.district, _plain(r.rank_before), _plain(r.rank),
                          _plain(moved)])
    rank = Table("排名变化", S.CHANGES_RANK, [COL["indicator"], COL["district"], COL["rank"]], rows, [2.6, 1.4, 2],
                 ["指标编码", "指标", "区县", "原排名", "新排名", "上升名次"], sheet)

    tables = [values, status, met, rank]
    if first:
        for t in tables:
            t.empty = FIRST_MEETING
        return Section(CHANGES, FIRST_MEETING, tables)
    subs = c["submissions"]
    intro = CHANGES_INTRO.format(
        date=_day(pack.meeting["previous_as_of"], ref), as_of=_moment(pack.meeting["previous_as_of"], ref),
        files=len(subs), revisions=int(subs["revises"].fillna(False).astype(bool).sum()) if len(subs) else 0,
        rejected=int((subs["status"] == "rejected").sum()) if len(subs) else 0,
        values=len(c["values"]), status=len(c["status"]), met=len(c["met"]), rank=len(c["rank"]))
    return Section(CHANGES, intro, tables)


def _lagging(pack: MeetingPack) -> Section:
    """Word and the web page show one row per lagging indicator — the city's figure, then the districts
    lagging on it in one line — so a phone screen is not a list of every district; Excel keeps every row."""
    lag = pack.lagging
    shown = fmt.progress_rows(lag)
    rows, sheet = [], []
    for r, s in zip(lag.itertuples(index=False), shown.itertuples(index=False)):
        gap = r.gap_text if not fmt.missing(r.gap_text) and r.gap_text else "—"
        sheet.append([s.status, r.indicator, r.indicator_name, r.district, _num(r.value, r.unit, s.value),
                      _num(r.target, r.unit), _plain(r.target_year),
                      Num(None) if fmt.missing(r.attainment) else Num(float(r.attainment), _percent_format(s.attainment)),
                      "" if gap == "—" else gap, _text(r.pace), _text(r.lead_department)])
    is_city = lag["is_city"] if "is_city" in lag else pd.Series(False, index=lag.index)
    for code in dict.fromkeys(lag["indicator"]):
        mine = lag[lag["indicator"] == code]
        city_rows = mine[is_city[mine.index]]
        local = mine[~is_city[mine.index]]
        first = (city_rows if not city_rows.empty else mine).iloc[0]
        first_shown = shown.loc[first.name]
        lead = LEAD.format(department=first.lead_department) if not fmt.missing(first.lead_department) else ""
        districts = "、".join(f"{d}（{w}）" if w == "严重滞后" else d for d, w in zip(local["district"], local["status"]))
        about = [_text(first.indicator_name), lead] + ([f"滞后区县：{districts}"] if districts else [])
        if city_rows.empty:
            rows.append([about, [f"{len(local)} 个区县"], ["全市未滞后"]])
            continue
        gap = first.gap_text if not fmt.missing(first.gap_text) and first.gap_text else "—"
        pace = _text(first.pace)
        rows.append([about, [first_shown["value"], f"目标 {first_shown['target']}", first_shown["status"]],
                     [gap, pace] if pace else [gap]])
    table = Table(LAGGING, LAGGING, [COL["indicator"], COL["value_target"], COL["gap"]], rows,
                  [2.6, 1.5, 2.4], ["状态", "指标编码", "指标", "区县", "数值", "目标值", "目标年", "完成度", "差距",
                                       "所需进度", "牵头单位"], sheet, empty=S.LAGGING_NONE)
    city = int(is_city.sum())
    intro = LAGGING_INTRO.format(n=len(lag), city=city, districts=len(lag) - city) if len(lag) else S.LAGGING_NONE
    return Section(LAGGING, intro, [table], chart="lagging")


def _missing(pack: MeetingPack, ref: int, as_of: str) -> Section:
    m = pack.missing
    rows, sheet = [], []
    for r in m.itertuples(index=False):
        days = int(r.days_late) if not fmt.missing(r.days_late) else 0
        state = fmt.board_status(r.status) + (" " + OVERDUE_DAYS.format(days=days) if days else "")
        rows.append([[_text(r.department)], [_text(r.period), f"截止 {_day(r.deadline, ref)}"], [state],
                     [_text(r.contact), _text(r.phone)]])
        sheet.append([_text(r.department), _text(r.period), fmt.board_status(r.status), _date(r.deadline),
                      Num(days, "0"), _text(r.contact), _text(r.phone)])
    table = Table(MISSING, MISSING, [COL["department"], COL["period"], COL["status"], COL["contact"]], rows,
                  [1.4, 1.5, 1.5, 1.6], ["填报单位", "统计期", "状态", "截止日期", "逾期天数", "联系人", "联系电话"], sheet,
                  empty=MISSING_NONE.format(as_of=as_of), nowrap=(2,))
    if len(m):
        intro = MISSING_INTRO.format(as_of=as_of, late=int((m["status"] == "逾期").sum()),
                                     missing=int((m["status"] == "未报").sum()),
                                     rejected=int((m["status"] == "退回").sum()))
    else:
        intro = MISSING_NONE.format(as_of=as_of)
    return Section(MISSING, intro, [table])


def _actions(pack: MeetingPack, ref: int) -> Section:
    a = pack.actions
    rows, sheet, alert = [], [], []
    for r in a.itertuples(index=False):
        about = "，".join(x for x in (_text(r.indicator_name), _text(r.district)) if x)
        overdue = bool(r.overdue)
        rows.append([[_text(r.promise)] + ([about] if about else []), [_text(r.department)],
                     [_day(r.due_on, ref)], [r.state, S.ACTION_OVERDUE] if overdue else [r.state]])
        sheet.append([int(r.id), _text(r.promise), _text(r.department), _text(r.indicator_name), _text(r.district),
                      _date(r.due_on), r.state, "逾期" if overdue else "", _date(r.meeting_on), _text(r.note)])
        alert.append(overdue)
    table = Table(ACTIONS, ACTIONS, [COL["promise"], COL["owner"], COL["due"], COL["status"]], rows, [3, 1.3, 1.3, 1.2],
                  ["编号", "督办事项", "责任单位", "指标", "区县", "完成期限", "状态", "是否逾期", "提出会议日期", "备注"], sheet,
                  alert, nowrap=(2, 3))
    if len(a):
        open_ = a["state"] == "进行中"
        intro = ACTIONS_INTRO.format(open=int(open_.sum()), overdue=int(a["overdue"].sum()), done=int((~open_).sum()))
    else:
        intro = NOTHING
    return Section(ACTIONS, intro, [table])


def _tasks(pack: MeetingPack, ref: int) -> Section:
    t = pack.tasks
    rows, sheet, alert = [], [], []
    for r in t.itertuples(index=False):
        overdue = r.state == "逾期"
        detail = "，".join(x for x in (_text(r.note), _text(r.evidence)) if x)
        rows.append([[_text(r.name)] + ([detail] if detail else []), [_text(r.department)], [_day(r.due_on, ref)],
                     [f"{S.TASK_ICONS.get(r.state, '')} {r.state}"]])
        sheet.append([_text(r.code), _text(r.name), _text(r.department), _date(r.due_on), r.state,
                      _date(r.updated_on), _text(r.evidence), _text(r.note)])
        alert.append(overdue)
    table = Table(TASKS, TASKS, ["任务", COL["owner"], COL["due"], COL["status"]], rows, [3, 1.3, 1.3, 1.2],
                  ["任务编码", "任务", "牵头单位", "完成时限", "状态", "更新日期", "佐证材料", "进展说明"], sheet, alert,
                  nowrap=(2, 3))
    intro = TASKS_INTRO.format(open=int((t["state"] != "已完成").sum()), overdue=int((t["state"] == "逾期").sum()),
                               done=int((t["state"] == "已完成").sum())) if len(t) else NOTHING
    return Section(TASKS, intro, [table])


def _shown(s: Section) -> list[Table]:
    """The tables Word and the web page draw: an empty one whose note the section's intro already says is left out."""
    return [t for t in s.tables if t.rows or t.empty != s.intro]


def _meta_line(pack: MeetingPack) -> str:
    m = pack.meeting
    return META_LINE.format(held=_day(m["held_on"]), as_of=_moment(m["as_of"]), year=pack.year)


# ------------------------------------------------------------------------------------------- Word
_BODY_FONTS = ("Times New Roman", "SimSun")      # Latin, East Asian (宋体)
_HEAD_FONTS = ("Arial", "SimHei")                # 黑体 for headings


def _set_fonts(rpr, latin: str, east_asian: str) -> None:
    """Explicit fonts (no theme fonts, which Word resolves to a Latin face) and Chinese as the East Asian language."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _docx_styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None and defaults.find(qn("w:rPrDefault")) is not None:
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        if rpr is not None:
            _set_fonts(rpr, *_BODY_FONTS)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    _set_fonts(normal.element.get_or_add_rPr(), *_BODY_FONTS)
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12.5)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x1F, 0x2A, 0x37)
        _set_fonts(style.element.get_or_add_rPr(), *_HEAD_FONTS)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _row_props(row, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:  # repeated at the top of every page
        head = OxmlElement("w:tblHeader")
        head.set(qn("w:val"), "true")
        tr_pr.append(head)


def _fill(cell, lines: list[str], bold: bool = False, red: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.font.size = Pt(10 if i == 0 else 9)
        run.bold = bold or None
        if red:
            run.font.color.rgb = RGBColor.from_string(RED)
            run.bold = True
        elif i:
            run.font.color.rgb = RGBColor.from_string(GREY)
        if i < len(lines) - 1:
            run.add_break()


def _docx_table(doc, t: Table, width_cm: float) -> None:
    if not t.rows:
        doc.add_paragraph(t.empty)
        return
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")   # a little air around each cell's text
    for side, twips in (("top", 30), ("left", 80), ("bottom", 30), ("right", 80)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    look = table._tbl.tblPr.find(qn("w:tblLook"))   # schema order: … tblLayout, tblCellMar, tblLook
    look.addprevious(margins) if look is not None else table._tbl.tblPr.append(margins)
    total = sum(t.widths)
    widths = [Cm(width_cm * w / total) for w in t.widths]
    for column, width in zip(table.columns, widths):  # the grid: what fixed layout and LibreOffice/WPS follow
        column.width = width
    header = table.rows[0]
    _row_props(header, header=True)
    for cell, name, width in zip(header.cells, t.columns, widths):
        cell.width = width
        _fill(cell, [name], bold=True)
        _shade(cell, "E8EEF4")
    for i, lines in enumerate(t.rows):
        row = table.add_row()
        _row_props(row, header=False)
        red = bool(t.alert and t.alert[i])
        for j, (cell, width) in enumerate(zip(row.cells, widths)):
            cell.width = width
            _fill(cell, lines[j], red=red and j == len(lines) - 1)


def to_docx(pack: MeetingPack) -> bytes:
    """The briefing as a Word document: demo mark, title and date, summary, then each section's tables."""
    doc = Document()
    _docx_styles(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(2))
    sec.top_margin = sec.bottom_margin = Cm(2)
    width = 21 - 4
    title = _text(pack.meeting["title"])
    doc.core_properties.title = f"{title} {file_stem(pack)}"
    doc.core_properties.author = APP_NAME
    if pack.demo:
        for paragraph, size in ((doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph(), 12),
                                (sec.header.paragraphs[0], 9)):   # on top, and on every printed page
            run = paragraph.add_run(DEMO_MARK)
            run.bold = True
            run.font.size = Pt(size)
            run.font.color.rgb = RGBColor.from_string(RED)
    doc.add_heading(title, level=0)
    doc.add_paragraph(_meta_line(pack))
    summary = doc.add_paragraph().add_run(pack.summary)
    summary.bold = True
    for s in sections(pack):
        doc.add_heading(s.title, level=1)
        if s.intro:
            doc.add_paragraph(s.intro)
        for t in _shown(s):
            if len(s.tables) > 1:
                doc.add_heading(t.title, level=2)
            _docx_table(doc, t, width)
    note = doc.add_paragraph()
    run = note.add_run(FOOTER.format(app=APP_NAME, as_of=_moment(pack.meeting["as_of"])))
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor.from_string(GREY)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------ Excel
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")


def _put(ws, row: int, column: int, value):
    """Write one cell. A string that Excel could take for a formula (= + - @ or a leading tab / carriage
    return) is stored as text: prefixed with ' and typed as a string, never as a formula."""
    cell = ws.cell(row=row, column=column)
    number_format = None
    if isinstance(value, Num):
        value, number_format = value.value, value.format
    elif isinstance(value, dt.datetime):
        number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        number_format = "yyyy-mm-dd"
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
    if isinstance(value, str):
        if value.startswith(_FORMULA_START):
            cell.value = "'" + value
            cell.data_type = "s"
            return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _display_width(value) -> int:
    """Display width in Excel character units; Chinese characters count double."""
    if isinstance(value, Num):
        value = "" if value.value is None else f"{value.value:,.2f}" + "xx"
    elif isinstance(value, dt.datetime):
        value = "2026-01-01 00:00"
    elif isinstance(value, dt.date):
        value = "2026-01-01"
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _sheet(wb, name: str, columns: list[str], rows: list[list], demo: bool, empty: str, first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = name
    for j, column in enumerate(columns, start=1):
        cell = _put(ws, 1, j, column)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            cell = _put(ws, i, j, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    if not rows:
        cell = _put(ws, 2, 1, empty)
        cell.font = Font(italic=True, color=GREY)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    for j, column in enumerate(columns, start=1):
        widest = max([_display_width(column) + 4] + [_display_width(r[j - 1]) + 2 for r in rows])
        ws.column_dimensions[get_column_letter(j)].width = min(max(widest, 8), 60)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    if demo:  # printed on every page
        ws.oddHeader.center.text = DEMO_MARK
        ws.oddHeader.center.color = RED
    return ws


def to_xlsx(pack: MeetingPack) -> bytes:
    """The briefing as a workbook: 简报摘要 first, then one sheet per table, header row bold and frozen."""
    wb = Workbook()
    m = pack.meeting
    summary_rows = [["数据性质", DEMO_MARK]] if pack.demo else []
    summary_rows += [["会议", _text(m["title"])], ["会议日期", _date(m["held_on"])], ["数据截至", _when(m["as_of"])],
                     ["上次会议数据截至", _when(m.get("previous_as_of"))], ["年度", pack.year], ["摘要", pack.summary]]
    parts = sections(pack)
    summary_rows += [[s.title, s.intro] for s in parts if s.intro]
    ws = _sheet(wb, SUMMARY_SHEET, ["项目", "内容"], summary_rows, pack.demo, NOTHING, first=True)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 90
    if pack.demo:
        ws["B2"].font = Font(bold=True, color=RED)
    for s in parts:
        for t in s.tables:
            ws = _sheet(wb, t.sheet, t.sheet_columns, t.sheet_rows, pack.demo, t.empty)
            for i, alert in enumerate(t.alert, start=2):
                if alert:
                    for cell in ws[i]:
                        cell.font = Font(color=RED)
    wb.properties.title = file_stem(pack)
    wb.properties.creator = APP_NAME
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -------------------------------------------------------------------------------------- web page
_FONT_STACK = ('"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
               '"WenQuanYi Micro Hei", sans-serif')
_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f6f7f9;color:#1f2933;font-family:%(font)s;font-size:16px;line-height:1.55}
main{max-width:980px;margin:0 auto;padding:12px 14px 40px;background:#fff}
.demo{background:#fdecea;color:#8b0000;border-left:6px solid #c00000;padding:10px 12px;font-weight:bold;margin:0 0 10px}
h1{font-size:1.45rem;margin:.3em 0 .1em}
h2{font-size:1.2rem;margin:1.6em 0 .4em;padding-bottom:.2em;border-bottom:2px solid #d9e2ec}
h3{font-size:1.02rem;margin:1.1em 0 .3em}
.meta{color:#52606d;font-size:.9rem;margin:0 0 .8em}
.summary{font-size:1.05rem;background:#f0f4f8;padding:10px 12px;border-radius:6px}
.intro{color:#334e68}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.3em 0 1em}
table{border-collapse:collapse;width:100%%;font-size:.9rem}
th,td{border:1px solid #d9e2ec;padding:6px 7px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
td.nowrap{white-space:nowrap}
th{background:#e8eef4;white-space:nowrap}
td .sub{display:block;color:#52606d;font-size:.82rem}
tr.alert td:last-child, tr.alert td:last-child .sub{color:#c00000;font-weight:bold}
.chart{width:100%%;margin:.4em 0}
.empty{color:#52606d}
footer{color:#7b8794;font-size:.8rem;margin-top:2em}
@media (max-width:480px){body{font-size:15px} main{padding:10px 10px 30px} th,td{padding:5px}}
""" % {"font": _FONT_STACK}
_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True,
                  "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d"]}


def _wrap(text: str, width: int = 9) -> str:
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width))


def _figure_style(fig: go.Figure, height: int, title: str) -> go.Figure:
    fig.update_layout(height=height, title=dict(text=title, font=dict(size=15), x=0, xanchor="left"),
                      margin=dict(l=8, r=16, t=42, b=8), font=dict(family=_FONT_STACK, size=13, color="#222222"),
                      plot_bgcolor="white", paper_bgcolor="white", showlegend=False, dragmode=False)
    fig.update_xaxes(gridcolor="#E5E5E5", automargin=True, fixedrange=True)
    fig.update_yaxes(automargin=True, fixedrange=True, autorange="reversed")
    return fig


def status_chart(pack: MeetingPack) -> go.Figure:
    """Headline status counts, one bar per status in its ui.format colour."""
    h = pack.headline
    labels = [fmt.status(w) for w in h["status"]]
    hover = [f"{fmt.status(w)}：{int(c)} 项" + ("" if fmt.missing(ch) else f"（较上次 {fmt.change(ch, '项')}）")
             for w, c, ch in zip(h["status"], h["count"], h["change"])]
    fig = go.Figure(go.Bar(y=labels, x=[int(c) for c in h["count"]], orientation="h",
                           marker_color=[fmt.colour(w) for w in h["status"]], text=[int(c) for c in h["count"]],
                           textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text"))
    _figure_style(fig, 280, CHART_STATUS.format(year=pack.year))
    fig.update_xaxes(rangemode="tozero")
    return fig


def lagging_chart(pack: MeetingPack, limit: int = 20) -> go.Figure | None:
    """Attainment (value ÷ target) of the lagging indicators: the city's, or the first districts' when the
    city has none; a line marks the target (100%)."""
    lag = pack.lagging[pack.lagging["attainment"].notna()]
    if lag.empty:
        return None
    city = lag[lag["is_city"]] if "is_city" in lag else lag.iloc[0:0]
    rows = city if not city.empty else lag.head(limit)
    title = CHART_LAGGING if not city.empty else CHART_LAGGING_DISTRICTS.format(n=len(rows))
    labels = [_wrap(n if not city.empty else f"{n}（{d}）") for n, d in zip(rows["indicator_name"], rows["district"])]
    # distinct labels even when two rows share a name
    labels = [f"{label}{' ' * k}" for k, label in enumerate(labels)] if len(set(labels)) < len(labels) else labels
    hover = [f"{n}（{d}）<br>{fmt.status(s)}：{fmt.value(v, u)}，目标 {fmt.value(t, u)}<br>{g}"
             for n, d, s, v, u, t, g in zip(rows["indicator_name"], rows["district"], rows["status"], rows["value"],
                                           rows["unit"], rows["target"], rows["gap_text"].fillna(""))]
    # On the bar: what is still missing. (A share rounded to one decimal reads "100.0%" for 99.97%.)
    text = [g if isinstance(g, str) and g else fmt.share(a) for g, a in zip(rows["gap_text"], rows["attainment"])]
    x = [a * 100 for a in rows["attainment"]]
    fig = go.Figure()
    for word in fmt.STATUS_ORDER:  # one trace per status: the legend names each colour with icon and word
        pick = [i for i, s in enumerate(rows["status"]) if s == word]
        if pick:
            fig.add_bar(y=[labels[i] for i in pick], x=[x[i] for i in pick], orientation="h", name=fmt.status(word),
                        marker_color=fmt.colour(word), text=[text[i] for i in pick], textposition="auto",
                        insidetextanchor="start", textfont=dict(color="#1a1a1a", size=12),
                        hovertext=[hover[i] for i in pick], hoverinfo="text")
    lines = max(label.count("<br>") + 1 for label in labels)
    _figure_style(fig, 110 + max(40, 17 * lines + 14) * len(rows), title)
    fig.update_layout(barmode="overlay", showlegend=True,
                      legend=dict(orientation="h", x=0, y=1, yanchor="bottom", font=dict(size=12)),
                      margin=dict(t=70))
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    fig.add_vline(x=100, line=dict(color="#333333", dash="dash", width=1))
    fig.update_xaxes(range=[0, max(105.0, float(rows["attainment"].max()) * 100 + 3)], ticksuffix="%", dtick=25)
    return fig


def _html_cell(lines: list[str]) -> str:
    if not lines:
        return ""
    first = html.escape(lines[0])
    return first + "".join(f'<span class="sub">{html.escape(x)}</span>' for x in lines[1:])


NOWRAP = ' class="nowrap"'


def _html_table(t: Table) -> str:
    if not t.rows:
        return f'<p class="empty">{html.escape(t.empty)}</p>'
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
    body = []
    for i, row in enumerate(t.rows):
        cls = ' class="alert"' if t.alert and t.alert[i] else ""
        cells = "".join(f"<td{NOWRAP if j in t.nowrap else ''}>{_html_cell(c)}</td>" for j, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def to_html(pack: MeetingPack) -> str:
    """One page that opens offline: every section as tables, with interactive Plotly charts whose
    library is inlined once. Nothing is loaded from a URL."""
    charts = {"status": status_chart(pack), "lagging": lagging_chart(pack)}
    inlined = False
    out = []
    title = _text(pack.meeting["title"])
    out.append(f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
               f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
               f"<title>{html.escape(title)} · {html.escape(file_stem(pack))}</title>\n<style>{_CSS}</style>\n"
               f"</head>\n<body>\n<main>\n")
    if pack.demo:
        out.append(f'<div class="demo" role="note">⚠️ {html.escape(DEMO_MARK)}</div>\n')
    out.append(f"<h1>{html.escape(title)}</h1>\n<p class=\"meta\">{html.escape(_meta_line(pack))}</p>\n")
    out.append(f'<p class="summary">{html.escape(pack.summary)}</p>\n')
    for s in sections(pack):
        out.append(f"<section>\n<h2>{html.escape(s.title)}</h2>\n")
        if s.intro:
            out.append(f'<p class="intro">{html.escape(s.intro)}</p>\n')
        fig = charts.get(s.chart) if s.chart else None
        if fig is not None:
            div = fig.to_html(full_html=False, include_plotlyjs=not inlined, div_id=f"chart-{s.chart}",
                              config=_PLOTLY_CONFIG)
            inlined = True
            out.append(f'<div class="chart">{div}</div>\n')
        for t in _shown(s):
            if len(s.tables) > 1:
                out.append(f"<h3>{html.escape(t.title)}</h3>\n")
            out.append(_html_table(t) + "\n")
        out.append("</section>\n")
    out.append(f"<footer>{html.escape(FOOTER.format(app=APP_NAME, as_of=_moment(pack.meeting['as_of'])))}</footer>\n")
    out.append("</main>\n</body>\n</html>\n")
    return "".join(out)


__all__ = ["DEMO_MARK", "Num", "Section", "Table", "file_stem", "lagging_chart", "sections", "status_chart",
           "to_docx", "to_html", "to_xlsx"]


def to_zip(pack: MeetingPack) -> bytes:
    """The three files of one briefing in a .zip, for a single 导出简报 button."""
    import io
    import zipfile
    stem = file_stem(pack)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}.docx", to_docx(pack))
        z.writestr(f"{stem}.xlsx", to_xlsx(pack))
        z.writestr(f"{stem}.html", to_html(pack))
    return out.getvalue()
