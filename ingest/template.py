"""Department templates (填报模板), generated from the catalog.

One workbook per department and period: a header block, one row per
district, for each indicator the columns it needs, a 合计 row, dropdowns,
locked headers, and a very hidden `_meta` sheet that maps columns back to
indicators so that a filled template reads back exactly. Register (台账)
indicators get a sheet of their own, prefilled with the master list.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from warehouse.breakdowns import DIMENSIONS, parts_of
from warehouse.periods import period_frequency

from .catalog import FREQUENCY_WORDS, Catalog, Indicator
from .template_layout import (DATA_SHEET, FIRST_DATA_ROW, GRADES, LABEL_CELLS, META_SHEET, PARTS_FIELDS,
                              PARTS_SHEET, REGISTER_FIELDS, TASK_FIELDS, TASK_SHEET, MetaColumn)

TEMPLATE_VERSION = "1"
_HEAD = PatternFill("solid", fgColor="1F4E79")
_SUB = PatternFill("solid", fgColor="DDEBF7")
_TOTAL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)


def template_indicators(catalog: Catalog, department_code: str, period: str) -> list[Indicator]:
    """The department's indicators reported at the period's frequency."""
    freq = period_frequency(period)
    return [i for i in catalog.indicators_of(department_code) if i.frequency == freq]


def file_name(catalog: Catalog, department_code: str, period: str) -> str:
    return f"填报模板_{catalog.departments[department_code].name}_{period}.xlsx"


def build_template(catalog: Catalog, department_code: str, period: str) -> bytes:
    """The template workbook as bytes. Raises ValueError when there is nothing to report."""
    department = catalog.departments[department_code]
    indicators = template_indicators(catalog, department_code, period)
    tasks = sorted((t for t in catalog.tasks.values() if t.lead_department == department_code),
                   key=lambda t: t.sort_order)
    if not indicators and not tasks:
        raise ValueError(f"{department.name}没有按{FREQUENCY_WORDS[period_frequency(period)]}报送的指标")
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    meta: list[MetaColumn] = []
    table = [i for i in indicators if i.kind != "register"]
    if table:
        meta += _data_sheet(ws, catalog, department.name, period, table)
    else:
        wb.remove(ws)
    split = [i for i in table if i.breakdowns]
    if split:
        meta.append(_parts_sheet(wb, catalog, department.name, period, split))
    for indicator in (i for i in indicators if i.kind == "register"):
        meta.append(_register_sheet(wb, catalog, department.name, period, indicator))
    if tasks:
        meta.append(_task_sheet(wb, department.name, period, tasks))
    _meta_sheet(wb, department_code, period, meta)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _header_block(ws, title: str, department_name: str, period: str, width: int) -> None:
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 8))
    ws.row_dimensions[1].height = 26
    for cell, label in (("A2", "填报单位"), ("D2", "统计期"), ("G2", "报送日期"), ("A3", "填报人"), ("D3", "联系电话")):
        ws[cell] = label
        ws[cell].font = Font(bold=True)
    ws[LABEL_CELLS["department"]] = department_name
    ws[LABEL_CELLS["period"]] = period
    for key in ("submitted_on", "filled_by", "phone"):
        ws[LABEL_CELLS[key]].protection = _UNLOCKED
        ws[LABEL_CELLS[key]].border = _BOX


def _count_basis(i: Indicator, period: str) -> str:
    """What a count's cell holds: quarterly and monthly counts are year-to-date."""
    if i.reporting_basis == "running_total":
        return "截至本期末累计数"
    if len(period) > 4:
        return "1月至本期累计" + ("新增" if i.reporting_basis == "additions" else "")
    return "当年新增" if i.reporting_basis == "additions" else "全年"


def _data_sheet(ws, catalog: Catalog, department_name: str, period: str, indicators) -> list[MetaColumn]:
    districts = [d for d in catalog.districts.values() if d.parent_code and d.code not in catalog.parents]
    columns: list[tuple[Indicator, str, str]] = []  # indicator, field, caption
    for i in indicators:
        if i.kind == "rate":
            columns += [(i, "numerator", f"分子：{i.numerator_def}"), (i, "denominator", f"分母：{i.denominator_def}")]
        elif i.kind == "yesno":
            columns.append((i, "yesno", "是/否"))
        else:
            columns.append((i, "value", f"数值（{i.unit}，{_count_basis(i, period)}）" if i.kind == "count"
                                        else f"数值（{i.unit}）"))
    width = 2 + len(columns)
    _header_block(ws, f"{catalog.city.name if catalog.city else ''}儿童友好城市建设监测指标填报表（{period}）", department_name, period, width)
    ws["A4"] = ("说明：只在白色单元格填写。比率指标请分别填写分子和分母，系统按 Σ分子÷Σ分母 汇总全市；"
                "没有数据请留空。合计行由公式计算、仅供核对，不会导入。请勿增删行列。")
    ws["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=max(width, 8))
    ws.row_dimensions[4].height = 34
    for c, caption in ((1, "区县代码"), (2, "区县")):
        ws.cell(5, c, caption)
        ws.merge_cells(start_row=5, start_column=c, end_row=6, end_column=c)
    ws.column_dimensions["A"].width = 11
    ws.column_dimensions["B"].width = 20

    meta, col = [], 3
    for i in indicators:
        span = sum(1 for ind, _, _ in columns if ind is i)
        ws.cell(5, col, f"{i.code} {i.name}（{i.unit}）")
        if span > 1:
            ws.merge_cells(start_row=5, start_column=col, end_row=5, end_column=col + span - 1)
        for ind, field, caption in (c for c in columns if c[0] is i):
            letter = get_column_letter(col)
            ws.cell(6, col, caption)
            ws.column_dimensions[letter].width = 18
            meta.append(MetaColumn("value", DATA_SHEET, letter, i.code, field))
            col += 1
    for r in (5, 6):
        ws.row_dimensions[r].height = 48
        for c in range(1, width + 1):
            cell = ws.cell(r, c)
            cell.font = Font(bold=True, color="FFFFFF" if r == 5 else "000000")
            cell.fill = _HEAD if r == 5 else _SUB
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = _BOX

    last = FIRST_DATA_ROW + len(districts) - 1
    for r, d in enumerate(districts, start=FIRST_DATA_ROW):
        ws.cell(r, 1, d.code).border = _BOX
        ws.cell(r, 2, d.name).border = _BOX
        for c in range(3, width + 1):
            ws.cell(r, c).protection = _UNLOCKED
            ws.cell(r, c).border = _BOX
    total = last + 1
    ws.cell(total, 2, "合计").font = Font(bold=True)
    for c in range(1, width + 1):
        ws.cell(total, c).fill = _TOTAL
        ws.cell(total, c).border = _BOX
    numbers = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                             showErrorMessage=True, errorTitle="请填写数字",
                             error="这里只能填写不小于 0 的数字；没有数据请留空。")
    yesno = DataValidation(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True,
                           errorTitle="请选择", error="请从下拉列表中选择“是”或“否”。")
    for m in meta:
        cells = f"{m.column}{FIRST_DATA_ROW}:{m.column}{last}"
        if m.field == "yesno":
            yesno.add(cells)
        else:
            numbers.add(cells)
            ws[f"{m.column}{total}"] = f"=SUM({cells})"
    ws.add_data_validation(numbers)
    ws.add_data_validation(yesno)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    return meta


def _register_sheet(wb, catalog: Catalog, department_name: str, period: str, indicator: Indicator) -> MetaColumn:
    name = f"台账-{indicator.code}"
    ws = wb.create_sheet(name)
    _header_block(ws, f"{indicator.code} {indicator.name} 台账（{period}）", department_name, period, len(REGISTER_FIELDS))
    ws["A4"] = "说明：名册中的每个社区一行，请在「是否开展创建」列选择是/否；名册以外的社区请联系妇儿工委办补充名册，不要自行加行。"
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(REGISTER_FIELDS))
    header_row = 5
    for c, caption in enumerate(REGISTER_FIELDS, start=1):
        cell = ws.cell(header_row, c, caption)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEAD
        cell.border = _BOX
        ws.column_dimensions[get_column_letter(c)].width = (20, 14, 18, 16, 14, 14, 12, 24)[c - 1]
    communities = sorted(catalog.communities.values(), key=lambda u: (catalog.districts[u.district_code].sort_order, u.code))
    for r, unit in enumerate(communities, start=header_row + 1):
        for c, value in enumerate((catalog.districts[unit.district_code].name, unit.street, unit.name, unit.code), 1):
            ws.cell(r, c, value)
        for c in range(5, len(REGISTER_FIELDS) + 1):
            ws.cell(r, c).protection = _UNLOCKED
    last = header_row + len(communities)
    flag = DataValidation(type="list", formula1='"是,否"', allow_blank=True, showErrorMessage=True,
                          errorTitle="请选择", error="请从下拉列表中选择“是”或“否”。")
    flag.add(f"E{header_row + 1}:E{last}")
    grade = DataValidation(type="list", formula1='"' + ",".join(GRADES) + '"', allow_blank=True)
    grade.add(f"G{header_row + 1}:G{last}")
    ws.add_data_validation(flag)
    ws.add_data_validation(grade)
    ws.freeze_panes = ws.cell(header_row + 1, 5)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    return MetaColumn("register", name, "", indicator.code, "register")


def _parts_sheet(wb, catalog: Catalog, department_name: str, period: str, indicators) -> MetaColumn:
    """分组填报: one row per indicator × district × part, prefilled; each part's figures must add up to
    the district's total on 填报表."""
    ws = wb.create_sheet(PARTS_SHEET)
    _header_block(ws, f"分组数据（{period}）", department_name, period, len(PARTS_FIELDS))
    ws["A4"] = ("说明：按性别、年龄组或城乡分别填写；同一区县各分组相加应等于「填报表」中的总数。"
                "比率指标填分子和分母，数量指标填数值；没有数据请留空。")
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(PARTS_FIELDS))
    for c, caption in enumerate(PARTS_FIELDS, start=1):
        cell = ws.cell(5, c, caption)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEAD
        cell.border = _BOX
        ws.column_dimensions[get_column_letter(c)].width = (10, 16, 8, 10, 8, 14, 14, 14)[c - 1]
    districts = [d for d in catalog.districts.values() if d.parent_code and d.code not in catalog.parents]
    r = 6
    for i in indicators:
        for d in districts:
            for dimension in i.breakdowns:
                for part in parts_of(dimension, i.age_groups):
                    ws.cell(r, 1, i.code)
                    ws.cell(r, 2, d.name)
                    ws.cell(r, 3 + DIMENSIONS.index(dimension), part)
                    for c in ((6, 7) if i.kind == "rate" else (8,)):
                        ws.cell(r, c).protection = _UNLOCKED
                    r += 1
    ws.freeze_panes = "C6"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    return MetaColumn("parts", PARTS_SHEET, "", "", "parts")


def _task_sheet(wb, department_name: str, period: str, tasks) -> MetaColumn:
    """任务进展: the department's tasks, prefilled; a row with a 状态 is a report on that task."""
    ws = wb.create_sheet(TASK_SHEET)
    _header_block(ws, f"任务进展（{period}）", department_name, period, len(TASK_FIELDS))
    ws["A4"] = "说明：请在「状态」列选择 未启动/推进中/已完成，填写更新日期和佐证材料（文号、链接或照片名）。逾期由系统按完成时限判断。"
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(TASK_FIELDS))
    for c, caption in enumerate(TASK_FIELDS, start=1):
        cell = ws.cell(5, c, caption)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEAD
        cell.border = _BOX
        ws.column_dimensions[get_column_letter(c)].width = (10, 40, 12, 10, 12, 28, 30)[c - 1]
    for r, task in enumerate(tasks, start=6):
        for c, value in enumerate((task.code, task.name, task.due_on.isoformat() if task.due_on else "待确认"), start=1):
            ws.cell(r, c, value)
        for c in range(4, len(TASK_FIELDS) + 1):
            ws.cell(r, c).protection = _UNLOCKED
    states = DataValidation(type="list", formula1='"未启动,推进中,已完成"', allow_blank=True, showErrorMessage=True,
                            errorTitle="请选择", error="请从下拉列表中选择 未启动、推进中 或 已完成。")
    states.add(f"D6:D{5 + len(tasks)}")
    ws.add_data_validation(states)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    return MetaColumn("task", TASK_SHEET, "", "", "task")


def _meta_sheet(wb, department_code: str, period: str, meta: list[MetaColumn]) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    for row in (("template_version", TEMPLATE_VERSION), ("department", department_code), ("period", period),
                ("first_data_row", FIRST_DATA_ROW), (), ("kind", "sheet", "column", "indicator", "field")):
        ws.append(list(row))
    for m in meta:
        ws.append([m.kind, m.sheet, m.column, m.indicator, m.field])
