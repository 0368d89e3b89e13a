"""Every string the interface shows, in one place."""

APP_TITLE = "儿童友好城市建设监测看板"
DEMO_BANNER = "演示数据：本看板当前使用生成的演示数据（德州市），数字不是真实统计，仅供演示和培训。"
BUILDING_DEMO = "首次启动：正在用演示数据建立数据库，约需 10 秒……"

PAGE_OVERVIEW = "总览"
PAGE_CATALOG = "指标体系"
PAGE_SUBMISSIONS = "报送记录"

OVERVIEW_HEADING = "数据概况"
METRIC_INDICATORS = "监测指标"
METRIC_DEPARTMENTS = "责任单位"
METRIC_DISTRICTS = "区县"
METRIC_ACCEPTED = "已接收报送"
METRIC_REJECTED = "已退回报送"
AREA_TABLE = "各领域指标数"

CATALOG_HEADING = "指标体系"
CATALOG_CAPTION = "来自 data/catalog.xlsx；修改指标、目标或名册请编辑该工作簿后重新导入。"

SUBMISSIONS_HEADING = "报送记录"
SUBMISSIONS_CAPTION = "每个收到的文件都留存归档；退回的文件不导入任何数据。"

STATUS_WORDS = {"accepted": "已接收", "rejected": "已退回", "duplicate": "重复"}

COLUMNS = {
    "code": "指标编码", "area": "领域", "action": "行动/任务", "name": "指标名称", "kind": "类型", "unit": "单位",
    "direction": "方向", "lead": "牵头单位", "frequency": "报送频率", "targets": "目标",
    "indicators": "指标数",
    "id": "编号", "file_name": "文件", "department": "填报单位", "periods": "统计期", "status": "状态",
    "received_at": "接收时间", "rows": "导入行数", "errors": "错误", "warnings": "提示",
}
KIND_WORDS = {"rate": "比率", "count": "数量", "register": "台账", "yesno": "是否"}
DIRECTION_WORDS = {"higher": "越高越好", "lower": "越低越好"}
FREQUENCY_WORDS = {"year": "年", "quarter": "季", "month": "月"}
