"""Problems found in a file, and the Chinese message for each rule.

Every message says what is wrong and how to fix it. The library's own
(English) error text never reaches a user.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR, WARNING = "error", "warning"

# rule -> (severity, message template)
RULES: dict[str, tuple[str, str]] = {
    # -- at the door
    "file_empty": (ERROR, "文件为空（0 字节）。请重新导出后提交。"),
    "file_too_large": (ERROR, "文件大小 {size_mb:.1f} MB，超过上限 {limit_mb:.0f} MB。请删除无关的工作表或图片后另存提交。"),
    "file_pdf": (ERROR, "这是 PDF 文件，不是表格。请提交 Excel 填报表（.xlsx/.xls）或 CSV 文件。"),
    "file_html": (ERROR, "这是网页（HTML）格式的导出文件，不是真正的 Excel 工作簿。请用 Excel/WPS 打开后「另存为」.xlsx 再提交。"),
    "file_unknown_type": (ERROR, "无法识别的文件类型（不是 Excel 工作簿，也不是 CSV 文本）。请提交 .xlsx/.xls 或 .csv 文件。"),
    "file_not_workbook": (ERROR, "这是{kind}，不是 Excel 工作簿。请提交 .xlsx/.xls 或 .csv 文件。"),
    "file_encrypted": (ERROR, "工作簿设置了打开密码，系统无法读取。请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存提交。"),
    "file_truncated": (ERROR, "文件不完整或已损坏（可能下载或拷贝中断）。请重新导出或重新拷贝后提交。"),
    "file_unreadable": (ERROR, "文件无法读取，可能已损坏或不是标准的 Excel 格式。请用 Excel/WPS 打开确认无误后「另存为」.xlsx 提交。"),
    "zip_too_large": (ERROR, "文件解压后达 {size_mb:.0f} MB，超过上限 {limit_mb:.0f} MB，可能含有大量空白格式。请只保留填报内容，另存为新文件后提交。"),
    "zip_ratio": (ERROR, "文件内部「{member}」的压缩比异常（{ratio:.0f} 倍，上限 {limit:.0f} 倍），为保护系统已拒收。请用 Excel/WPS 打开后另存为新文件再提交。"),
    "sheet_too_big": (ERROR, "工作表的使用范围达 {rows} 行 × {cols} 列（最远到 {far}），超过上限 {limit} 个单元格。请删除多余的空白行和列后另存提交。"),
    "text_renamed": (ERROR, "文件扩展名是 {suffix}，但内容是纯文本，也不是可识别的 CSV 表格。请提交用 Excel/WPS 保存的工作簿。"),
    "text_encoding": (ERROR, "CSV 文件的编码无法识别（不是 UTF-8，也不是 GBK）。请在 Excel/WPS 中另存为「CSV UTF-8」后提交。"),
    # -- structure
    "header_not_found": (ERROR, "在各工作表的前 {n} 行中没有找到表头。请使用系统下载的填报模板；或使用长表格式（需有「指标编码、区县、年度」列和「分子、分母」或「数值」列）；或台账格式（需有「区县、街道(乡镇)、社区名称」及「是否开展创建」列）。"),
    "value_columns_missing": (ERROR, "表头在第 {row} 行，但缺少数值列。请增加「分子」和「分母」两列，或「数值」一列。"),
    "template_damaged": (ERROR, "填报模板的隐藏信息表已损坏（{detail}）。请重新下载模板，把数据复制进去后提交。"),
    "department_missing": (ERROR, "无法确定填报单位。请在表头「填报单位」处填写部门名称，或导入时指定部门（命令行 --department）。"),
    "department_unknown": (ERROR, "填报单位「{value}」无法识别。请填写部门全称或简称（如 卫生健康委、市教育局），可选名称见指标体系「部门」表。"),
    "period_missing": (ERROR, "无法确定统计期。请在表头「统计期」处填写（如 2025、2025-Q3、2025-09），或增加「年度」列。"),
    "period_invalid": (ERROR, "统计期「{value}」格式不正确。请填写如 2025（年度）、2025-Q3（季度）或 2025-09（月度）。"),
    "period_year_mismatch": (ERROR, "统计期 {period} 与年度 {year} 不一致。请核对后修改其中之一。"),
    "period_frequency": (ERROR, "指标 {code}（{name}）按{freq}报送，但统计期「{period}」不是{freq}。请按{freq}填写统计期（如 {example}）。"),
    "no_rows": (ERROR, "文件中没有可导入的数据（所有数值都为空）。请填写数据后再提交。"),
    "hidden_sheet": (WARNING, "隐藏工作表「{value}」中的内容已忽略。如需报送，请取消隐藏后重新提交。"),
    "subtotal_row": (WARNING, "「{value}」下面还有区县：这一行是小计，不导入（上级地区的数值由各区县汇总得出）。"),
    "hidden_row": (WARNING, "第 {row} 行是隐藏行，已忽略、不导入。如需报送，请取消隐藏后重新提交。"),
    # -- cells
    "too_many_errors": (ERROR, "错误太多：到第 {row} 行已发现超过 {n} 处错误，之后的行未再检查。请先按上面的说明改正，再提交。"),
    "macros_ignored": (WARNING, "文件含宏（如 .xlsm）：只读取了单元格中的数值，宏不会运行。"),
    "formula_no_value": (ERROR, "{label}是公式，但没有计算结果：请在 Excel/WPS 中打开后保存再提交（保存时会算出结果）。"),
    "indicator_blank": (ERROR, "指标编码为空。请填写该行的指标编码（如 PS-08）。"),
    "unknown_indicator": (ERROR, "指标编码「{value}」不在指标体系中。请核对编码（如 PS-08），或请妇儿工委办先在指标体系中增加该指标。"),
    "district_mismatch": (ERROR, "这一行的区县代码 {code} 是{name}，但区县名称写的是「{value}」。请不要移动或改写模板中的区县行；核对后使代码和名称一致。"),
    "unknown_district": (ERROR, "区县「{value}」无法识别。请填写区县全称、简称或统计代码（如 德城区、德城 或 371402）。"),
    "not_number": (ERROR, "{label}「{value}」不是数字。请只填写数字（可带 % 或千分位逗号）；没有数据请留空或填“—”。"),
    "not_integer": (ERROR, "{label}应为整数，填写的是 {value}。请核对后填写整数。"),
    "negative": (ERROR, "{label}不能为负数（填写的是 {value}）。请核对后修改。"),
    "implausible_count": (ERROR, "{label} {value} 超出合理范围（每个区县最多 {limit}）。请核对是否多输了位数；如确属实，请妇儿工委办在指标体系「取值上限」列调大该指标的上限。"),
    "implausible_denominator": (ERROR, "分母 {value} 超出合理范围（每个区县最多 {limit}）。请核对是否多输了位数或填成了全市、全省的数。"),
    "numerator_gt_denominator": (ERROR, "分子 {num} 大于分母 {den}。「{name}」的分子不应超过分母，请核对是否填反或口径有误。"),
    "rate_out_of_bounds": (ERROR, "「{name}」算得 {value}{unit}，超出合理范围 0–{upper}{unit}。请核对分子和分母。"),
    "half_rate": (ERROR, "「{name}」只填了{given}，缺少{missing}。比率指标须同时填写分子和分母，以便全市按 Σ分子÷Σ分母 汇总。"),
    "rate_needs_parts": (ERROR, "「{name}」是比率指标，须填写分子和分母，不接受只填比率值 {value}。这样全市才能按 Σ分子÷Σ分母 汇总。"),
    "count_needs_value": (ERROR, "「{name}」是数量指标，请在「数值」列填写数量。"),
    "register_in_table": (ERROR, "「{name}」是台账指标，请按台账格式逐个社区填报（可下载模板中的台账工作表）。"),
    "yesno_invalid": (ERROR, "「{value}」不是有效的是/否。请填写“是”或“否”。"),
    "duplicate_row": (ERROR, "与第 {other_row} 行重复（同一指标、区县和统计期）。请删除其中一行。"),
    "year_out_of_range": (ERROR, "年度 {value} 不在规划期 {start}–{end} 年内。请核对年份。"),
    "breakdown_two_dimensions": (ERROR, "一行只能填一个分组，这一行同时填了{dims}。请把各分组分行填写（如男、女各一行，城镇、乡村各一行）。"),
    "breakdown_on_total": (ERROR, "合计行不填分组。请把分组（性别、年龄组、城乡）填在各区县的分组行上。"),
    "breakdown_not_in_catalog": (ERROR, "指标 {code}（{name}）在指标体系中没有设「{dim}」分组（可用分组：{allowed}）。请删除这些分组行，或请妇儿工委办在指标体系「分组」列增加。"),
    "breakdown_part_invalid": (ERROR, "{dim}「{value}」无法识别。可填：{parts}。"),
    "breakdown_without_total": (ERROR, "「{name}」{district} {period} 填了按{dim}的分组，但没有该区县的总数行。请在同一文件中填写该区县的总数（不填分组的一行）。"),
    "breakdown_mismatch": (ERROR, "「{name}」{district} {period} 按{dim}分组（{parts}）的{label}之和 {sum} 与总数 {total}（{total_cell}）不一致。各分组相加应等于总数，请核对。"),
    "total_mismatch": (ERROR, "合计行的{label} {total} 与各区县之和 {sum} 不一致（相差 {diff}）。合计行本身不导入，请核对各区县数据或合计公式。"),
    "unit_not_in_master": (ERROR, "{where}「{value}」不在社区名册中。请按名册核对名称（见指标体系「社区」表），或请妇儿工委办补充名册。"),
    "register_duplicate_unit": (ERROR, "社区「{value}」与第 {other_row} 行重复。请删除其中一行。"),
    "unknown_task": (ERROR, "任务编码「{value}」不在指标体系的「任务」表中。请核对编码（如 T-01）。"),
    "task_state_invalid": (ERROR, "任务状态「{value}」无法识别。请填写 未启动、推进中 或 已完成。"),
    "task_state_overdue": (ERROR, "“逾期”由系统按完成时限自动判断，不用填写。请填写实际进展：未启动、推进中 或 已完成。"),
    "task_not_owned": (WARNING, "任务 {code}（{name}）的牵头单位是{lead}，不是{department}。进展已记录，请确认是否代报。"),
    "not_owned": (WARNING, "指标 {code}（{name}）的责任单位是{lead}，不是{department}。数据已按{department}报送记录，请确认是否代报。"),
    "denominator_jump": (WARNING, "{district}「{name}」的分母由上年的 {prev} 变为 {cur}（变动 {pct:+.0%}，超过 ±{limit:.0%}）。请确认统计口径是否一致。"),
    # -- catalog
    "catalog_missing_sheet": (ERROR, "指标体系缺少「{value}」工作表。请按模板补上该工作表。"),
    "missing_column": (ERROR, "「{sheet_name}」表缺少「{value}」列（表头应在第 1 行）。请补上该列。"),
    "required_field": (ERROR, "「{column}」不能为空。请填写。"),
    "invalid_choice": (ERROR, "「{value}」不是有效的{column}。可选：{choices}。"),
    "duplicate_code": (ERROR, "{column}「{value}」重复（第 {other_row} 行已有）。编码必须唯一。"),
    "unknown_reference": (ERROR, "{column}「{value}」在「{target}」表中找不到。请先在「{target}」表中增加，或改正名称。"),
    "alias_conflict": (ERROR, "名称「{value}」同时指向 {first} 和 {second}。请删去其中一个别名。"),
    "master_list_header": (ERROR, "社区名册中没有找到表头。前 10 行中须有一行依次写明这些列：{value}。"),
    "master_list_duplicate": (ERROR, "社区代码「{value}」在名册中重复。每个社区（村）只能有一行，请删除重复行或改正代码。"),
    "master_list_twice": (ERROR, "指标体系的「社区」表已有社区，同时又提供了单独的社区名册。请只用一处：清空「社区」表，或不提供名册文件。"),
    "area_cycle": (ERROR, "区县「{value}」的上级关系绕回了自己（{path}）。请改正「上级代码」，使每个地区都能逐级上溯到唯一的顶层。"),
    "city_root": (ERROR, "「区县」表须有且只有一行没有上级（城市本身），现有 {count} 行。"),
    "gap_phrase_placeholder": (ERROR, "缺口表述「{value}」中没有 {{n}}。请用 {{n}} 标出数量的位置，如“还需筛查{{n}}名儿童”。"),
    "not_date": (ERROR, "{label}「{value}」不是日期。请填写如 2025-12-31 或 2025年12月31日。"),
    "district_target_level": (ERROR, "填了「区县」的目标是分解到区县的目标，「层级」应填“县”，现为「{value}」。"),
    "district_target_baseline": (ERROR, "{indicator} 是按当年新增填报的累计指标，给「{value}」分解目标前，请先在「基线」表填写该区县的基线值（否则无法算出其累计存量）。"),
    "quarter_profile": (ERROR, "「季度进度」应为四个逐季不减、最后为100的百分数，如“20/45/75/100”，现为「{value}」。"),
    "catalog_empty": (ERROR, "「{value}」表没有任何数据行。"),
}


@dataclass(frozen=True)
class Problem:
    rule: str
    severity: str
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    value: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def where(self) -> str:
        parts = [p for p in (self.file, f"工作表「{self.sheet}」" if self.sheet else None, self.cell) if p]
        return " ".join(parts)


SHOWN_CHARS = 50   # a value quoted back in a message is cut here: a message never repeats a huge cell


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def problem(rule: str, *, sheet=None, cell=None, value=None, file=None, **details) -> Problem:
    severity, template = RULES[rule]
    shown = "" if value is None else _cut(str(value))
    details = {k: _cut(v) if isinstance(v, str) else v for k, v in details.items()}
    message = template.format(value=shown, **details)
    return Problem(rule, severity, message, file, sheet, cell, None if value is None else shown)


PER_RULE = 50   # cells listed per rule; the rest are counted in one line


def capped(problems: list[Problem], per_rule: int = PER_RULE) -> list[Problem]:
    """The first `per_rule` problems of each rule, then one line per rule saying how many more there are
    ("另有 N 处同类错误"): a file with 700,000 bad rows gets a report a person can read, stored in seconds."""
    seen: dict[tuple[str, str], int] = {}
    kept: list[Problem] = []
    for p in problems:
        key = (p.rule, p.severity)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= per_rule:
            kept.append(p)
    for (rule, severity), n in seen.items():
        if n > per_rule:
            kept.append(more_of(next(p for p in kept if p.rule == rule), n - per_rule))
    return kept


def more_of(first: Problem, n: int) -> Problem:
    """One line for `n` more problems like `first`, not listed one by one."""
    kind = "错误" if first.severity == ERROR else "提示"
    return Problem(first.rule, first.severity, f"另有 {n:,} 处同类{kind}未逐一列出（同上：{first.message}）",
                   first.file, first.sheet, None, None)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == WARNING]
