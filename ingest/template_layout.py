"""The layout of a 填报模板 workbook: what template.build_template writes and shapes reads back. Kept apart
from the writing (openpyxl) so that reading a file, in a worker process too, does not import it."""
from __future__ import annotations

from dataclasses import dataclass

META_SHEET = "_meta"
DATA_SHEET = "填报表"
FIRST_DATA_ROW = 7
LABEL_CELLS = {"department": "B2", "period": "E2", "submitted_on": "H2", "filled_by": "B3", "phone": "E3"}
REGISTER_FIELDS = ("区县", "街道(乡镇)", "社区名称", "社区代码", "是否开展创建", "创建时间", "评定等级", "备注")
GRADES = ("国家级", "省级", "市级", "未评定")
TASK_SHEET = "任务进展"
TASK_FIELDS = ("任务编码", "任务", "完成时限", "状态", "更新日期", "佐证材料", "备注")
PARTS_SHEET = "分组填报"
PARTS_FIELDS = ("指标编码", "区县", "性别", "年龄组", "城乡", "分子", "分母", "数值")


@dataclass(frozen=True)
class MetaColumn:
    kind: str        # value | register | parts | task
    sheet: str
    column: str      # letter for values, "" for register sheets
    indicator: str
    field: str       # numerator | denominator | value | yesno | register
