"""Every string the interface shows, in one place."""

APP_TITLE = "儿童友好城市建设监测看板"
DEMO_BANNER = "演示数据：当前使用生成的演示数据（德州市），数字不是真实统计，仅供演示和培训。"
BUILDING_DEMO = "首次启动：正在用演示数据建立数据库，约需 10 秒……"
AS_OF_NOTE = "按 {date} 24:00 前收到的数据计算（历史快照）"

# navigation
PAGE_OVERVIEW = "总览"
PAGE_INDICATOR = "指标详情"
PAGE_DISTRICTS = "区县对比"
PAGE_SUBMISSIONS = "报送情况"
PAGE_TASKS = "任务清单"
PAGE_UPLOAD = "数据上传"
PAGE_QUALITY = "数据质量"
PAGE_CATALOG = "指标体系"

# sidebar
FILTERS = "筛选"
FILTER_YEAR = "年度"
FILTER_DISTRICTS = "区县"
FILTER_PLACE = "地区（显示该地区及其下一级）"
FILTER_AREAS = "领域"
FILTER_DEPARTMENT = "牵头单位"
FILTER_AS_OF = "数据截至"
FILTER_AS_OF_HELP = "选择过去的日期，可按当时已收到的数据重现当时的数字。"
ALL = "全部"
PRESENT_MODE = "演示模式（大字号、隐藏侧栏）"
PRESENT_MODE_HELP = "共享屏幕或投影时使用。"
PRESENT_EXIT = "退出演示模式"

# overview
OVERVIEW_CARDS = "{year}年 {place}指标进展（共 {n} 项）"
AREA_PROGRESS = "各领域进展"
LAGGING = "滞后指标"
LAGGING_NONE = "没有滞后的指标。"
SCOREBOARD = "区县进展一览"
CHART_COUNT = "指标数"

# indicator page
PICK_INDICATOR = "选择指标"
UNIT = "单位"
TREND = "历年趋势"
DISTRICT_BARS = "{year}年 各区县"
DETAIL_TABLE = "分子、分母与数值"
DEFINITION = "指标说明"
LINEAGE = "数据来源（可追溯到文件、工作表和单元格）"
LINEAGE_PICK = "选择要追溯的数字"
CITY_LINE = "全市"
EXPECTED_LINE = "应达进度"
TARGET_LINE = "{level}级目标 {value}（{year}年）"
TARGET_PROVISIONAL_LINE = "{level}级目标 {value}（{year}年，待确认）"
TARGET_HELD = "{year}年：{n}项指标的目标年（{years}年）已过，按最近一次目标评价；未达到的写“某年目标未完成”。"
TARGET_HELD_ONE = "本指标最近的目标是{target_year}年的目标，{year}年沿用该目标评价；未达到的写“{target_year}年目标未完成”。"
SPLIT_TARGETS = "；另分解到{n}个区县（见区县对比）"
INBOX_TITLE = "从命令行送来的文件（收件箱）"
INBOX_CAPTION = "看板开着时，用 python -m ingest load 送来的文件先放入收件箱，看板刷新页面时按同样的检查导入。被退回的文件可在下方报送记录中查看原因。"
INBOX_COLUMNS = {"file": "文件", "status": "结果", "errors": "错误数", "submission_id": "报送编号",
                 "queued_at": "送达时间", "loaded_at": "导入时间"}
FIGURE_FAILED = "「{what}」计算出错，未能显示（原因已记入日志）；本页其他内容不受影响。"
PAGE_FAILED = "本页计算出错，其他页面不受影响。请刷新重试；如仍出错，请把出错时间告诉技术人员（原因已记入日志）。"
NO_FIGURES_YET = "还没有报送数据：请在「数据上传」页上传，或下载填报模板发给各部门。"
GO_UPLOAD = "去「数据上传」页"
NO_CATALOG_YET = ("还没有导入指标体系：请在「指标体系」页上传指标体系工作簿（指标、目标、区县、部门），"
                  "或运行 python -m ingest catalog。导入后各页才有内容。")
GO_CATALOG = "去「指标体系」页"
INDICATOR_FILTER_NONE = "没有符合筛选条件（领域、牵头部门）的指标：请在左侧放宽筛选。"
PROVISIONAL_WORD = "待确认"
DISTRICT_TARGET = "区县目标"
PROVISIONAL_FILTER = "只看待确认的目标"
PROVISIONAL_NOTE = "标“待确认”的目标是默认值（来源写“默认”或“待确认”），尚待妇儿工委办确认，不是方案原文。"
RULES_TITLE = "状态怎么判定"
RULES_TEXT = """- **已达标**：达到目标（不低于/不高于；“左右”在容差内即达标：比率±{points:g}个百分点、数量±{share:.0%}）。
- **正常**：尚未达标，但达到了从基线到目标的直线进度（应达进度）。
- **滞后**：低于应达进度，差距不超过应达进度的{tolerance:.0%}。
- **严重滞后**：低于应达进度超过{tolerance:.0%}；或低于应达进度且比上年明显倒退（倒退超过目标值的{worse:.1%}）。
- **季报、月报**：数量为“1月至本期累计”，按全年目标的进度比例（一季度1/4，或指标体系的季度进度）评价。
- **累计指标（按当年新增填报）**：累计值 = 基线年末存量 + 之后各年新增之和。
- **全市**：须所有区县都已报送，否则显示“已报区县数”，计入无数据，不判为已达标。
- **区县**：数量类指标只按分解到区县的目标评价；未分解的显示占各区县合计的份额（未分解）。
- **样本小**：越低越好的事件类比率（如婴儿死亡率），按目标预计事件数少于{events:g}例，或95%置信区间包含目标时，显示区间，不因此判为严重滞后。"""
DEF_FIELDS = {"area": "领域", "action": "行动/任务", "kind": "类型", "formula": "计算方法", "numerator_def": "分子",
              "denominator_def": "分母", "unit": "单位", "direction": "方向", "lead_name": "牵头单位",
              "frequency": "报送频率", "baseline": "基线", "source": "来源文件", "targets": "目标"}
FORMULA = {"rate": "Σ分子 ÷ Σ分母 × {scale}", "register": "台账中开展的社区数 ÷ 社区名册中的社区数 × 100",
           "yesno": "回答“是”的区县数 ÷ 报送的区县数 × 100",
           "count_annual": "当年数", "count_additions": "基线年末存量 + 基线年之后各年新增之和", "count_running": "填报的累计数"}

# districts page
HEATMAP = "区县 × 指标"
HEATMAP_BY = "着色依据"
BY_STATUS = "进展状态"
BY_ATTAINMENT = "目标完成度"
RANKING = "排名"
PROFILE = "区县画像"
PICK_DISTRICT = "选择区县"
TILE_MAP = "区县示意图"

# submissions page
BOARD_MATRIX = "部门 × 统计期"
RATES = "报送率"
CHASE_LIST = "催报清单"
FREQUENCY_TABS = {"month": "月报", "quarter": "季报", "year": "年报"}
BOARD_NONE = "这一年没有这类报送。"
BOARD_LEGEND = "● 按时　▲ 逾期　◐ 待审核（等管理员审核）　× 未报　◆ 退回（只收到有错误的文件，或被管理员退回）　○ 未到截止日期　— 不需报送"
CHASE_NONE = "没有需要催报的部门。"
REPORTING_RATE = "报送率"
ON_TIME_RATE = "及时率"

# upload page
UPLOAD_FILES = "选择或拖入填报文件"
UPLOAD_CONFIRM = "确认导入"
UPLOAD_CONFIRM_N = "确认导入（{n} 个文件导入；{kept} 个有错误或重复的文件只存档、不导入）"
UPLOAD_CHECKING = "正在检查 {name} ……"
UPLOAD_LOADING = "正在导入 {i}/{n}：{name}"
UPLOAD_NO_FILES = "请先选择文件。"
UPLOAD_OK = "可以导入：{rows} 行数据，{warnings} 条提示。"
UPLOAD_BAD = "不能导入：{errors} 个错误。请按下表修改后重新上传，本文件不会导入任何数据。"
UPLOAD_DUPLICATE = "与已收到的文件内容相同，不会重复导入。"
UPLOAD_DONE = "导入完成：{accepted} 个文件已接收，{rejected} 个退回，{duplicate} 个重复。"
UPLOAD_PENDING = "其中 {n} 个文件待审核：管理员在本页「待审核」中通过后，其数字才计入。"
UPLOAD_DEPARTMENT = "填报单位"
UPLOAD_PERIOD = "统计期"
UPLOAD_REPORT = "检查结果"
UPLOAD_PREVIEW = "将导入的数据"
UPLOAD_EFFECT = "对全市数字的影响"
TEMPLATE_DOWNLOAD = "下载填报模板"
TEMPLATE_BUTTON = "下载 {name}"
TEMPLATE_NONE = "该部门在这个统计期没有需要报送的指标。"
HISTORY = "报送历史"

# quality page
QUALITY_NONE = "未发现问题。"

# catalog page
CATALOG_CAPTION = "指标、目标、区县、部门和社区名册以指标体系工作簿为准；修改后在本页下方上传新版本。"
PLACEHOLDER_DEPARTMENT = "请选择填报单位"
PLACEHOLDER = "请选择"
CATALOG_DOWNLOAD = "下载指标体系工作簿"
CATALOG_UPLOAD = "上传新的指标体系"
CATALOG_NONE_YET = "还没有导入指标体系：请在本页下方「上传新的指标体系」上传工作簿，或在「选择方案模板」中选用一个方案。"
CATALOG_MASTER_LIST = "社区名册（可选，单独的 CSV 或 Excel 文件）"
CATALOG_MASTER_LIST_HELP = ("全省、全国的社区（村）名册可有几十万行，超过工作表的大小上限：可单独上传，列为 区县、街道(乡镇)、"
                            "社区名称、社区代码、城乡。此时指标体系工作簿的「社区」表须为空。")
CATALOG_OK = "指标体系已更新：{indicators} 项指标；原工作簿已存档，data/catalog.xlsx 已替换为新版本。"
CATALOG_BAD = "指标体系有 {n} 个问题，未更新。"

# --- screens (issue 10: charts and tables that read at a distance) -------------------------------
AXIS_CUT = "{axis}从{start}起（未从0开始，以便看清差别）"
AXIS_Y, AXIS_X = "纵轴", "横轴"
TREND_OTHER_DISTRICTS = "各区县"
TREND_DISTRICT_RANGE = "各区县范围（{n}个，最高与最低）"
BARS_EDGES = "共{n}个区县，这里显示最好和最差的各{k}个（以及所选区县）；全部数值见下方表格。"
OVERVIEW_CARDS_DISTRICT = "{year}年 {district}指标进展（共 {n} 项）"
OVERVIEW_CARDS_SEVERAL = "卡片为全市数字；所选的{n}个区县见右侧「区县进展一览」和下方滞后指标。"
OVERVIEW_NOT_SPLIT = "另有{n}项为数量类指标，目标只定到全市（未分解），不计入上面的状态。"
SHARE_OF_CITY = "占比"
CHOSEN_NOTE = "加框的是侧栏所选区县。"
RANK_PLACE = "名次"
RANK_MET = "已达标"
RANK_RATED = "有状态"
RANK_SHARE = "占比"
RANK_MEAN = "平均排名"
RANK_NOTE = ("按已达标指标数排名，相同时比各指标平均排名（每项指标按数值在区县中排名，1为最好）。"
             "“有状态”只计有区县状态的指标（已达标、正常、滞后、严重滞后），无数据和未分解的不计；占比 = 已达标 ÷ 有状态。")
TILE_SCALE = "已达标占比（%）"
TILE_NOTE = "颜色为已达标占比 = 已达标指标数 ÷ 有区县状态的指标数（无数据、未分解的不计）。"
TILE_HOVER = "{name}：已达标 {met}/{rated} 项"
ATTAINMENT_SCALE = "完成度 %"
CHANGE = "变动"
YES, NO = "是", "否"

STATUS_WORDS = {"accepted": "已接收", "rejected": "已退回", "duplicate": "重复"}

COLUMNS = {
    "code": "指标编码", "indicator": "指标编码", "indicator_name": "指标名称", "area": "领域", "action": "行动/任务",
    "name": "指标名称", "kind": "类型", "unit": "单位", "direction": "方向", "lead": "牵头单位", "frequency": "报送频率",
    "targets": "目标", "indicators": "指标数", "district": "区县", "district_code": "区县代码", "year": "年度",
    "period": "统计期", "numerator": "分子", "denominator": "分母", "value": "数值", "target": "目标值",
    "attainment": "完成度", "gap_text": "差距", "expected": "应达进度", "status": "状态", "yoy": "同比",
    "lead_department": "牵头单位", "target_source": "目标来源", "growth_band": "年均增速评价", "disagreement": "两种评价不一致",
    "id": "编号", "file_name": "文件", "department": "填报单位", "periods": "统计期",
    "received_at": "接收时间", "rows": "导入行数", "errors": "错误", "warnings": "提示", "sheet": "工作表",
    "cells": "单元格", "cell": "单元格", "message": "问题和修改方法", "rule": "规则", "rank": "排名",
    "deadline": "截止日期", "days_late": "逾期天数", "contact": "联系人", "phone": "联系电话",
    "due": "应报", "on_time": "按时", "late": "逾期", "missing": "未报", "rejected": "退回", "pending": "待审核",
    "reporting_rate": "报送率", "on_time_rate": "及时率", "community": "社区", "street": "街道(乡镇)", "flag": "是否",
    "provisional_targets": "待确认目标数", "district_targets": "分解到区县的目标数", "value_prev": "上年数值", "denominator_prev": "上年分母", "field": "项目", "reported": "合计行", "summed": "各区县之和",
    # the rows a file would load (数据上传's preview)
    "indicator_code": "指标编码", "note": "备注", "row_number": "行号", "numerator_cell": "分子单元格",
    "denominator_cell": "分母单元格", "value_cell": "数值单元格", "community_code": "社区代码", "started_on": "创建时间",
    "grade": "评定等级", "flag_cell": "标记单元格",
}
KIND_WORDS = {"rate": "比率", "count": "数量", "register": "台账", "yesno": "是否"}
DIRECTION_WORDS = {"higher": "越高越好", "lower": "越低越好"}
FREQUENCY_WORDS = {"year": "年", "quarter": "季", "month": "月"}

# weekly meeting
PAGE_MEETING = "周例会"
MEETING_PICK = "会议"
MEETING_NONE = "还没有会议记录。点击“开始本周例会”，当前数据将冻结为本次会议的数字。"
MEETING_START = "开始本周例会"
MEETING_TITLE = "会议名称"
MEETING_TITLE_DEFAULT = "{date} 儿童友好城市建设周例会"
MEETING_STARTED = "已开始：{title}。本次会议的数字冻结在 {at}。"
MEETING_FROZEN = "本次会议的数字冻结在 {at}（之后收到的报送不影响本页）；上次会议：{previous}"
MEETING_FIRST = "本次是第一次会议"
PREV = "◀ 上一页"
NEXT = "下一页 ▶"
SCREENS = ["一、总体进展", "二、上次会议以来的变化", "三、滞后指标", "四、未报和逾期", "五、区县排名", "六、督办事项"]
SCREEN_OF = "第 {i} / {n} 屏 · 键盘 ← → 翻页"
CHANGE_SINCE = "较上次会议"
NO_PREVIOUS = "（首次会议，无对比）"
CHANGES_SUBMISSIONS = "新收到和更正的报送"
CHANGES_VALUES = "数值变化（原值 → 新值）"
CHANGES_STATUS = "状态变化"
CHANGES_MET = "新达标"
CHANGES_RANK = "排名变化"
NOTHING = "无。"
LAGGING_HINT = "点选一行，即为该指标创建督办事项（牵头单位、两周期限，可在第六屏修改）。"
ACTION_CREATED = "已创建督办事项 #{id}：{promise}"
ACTION_EXISTS = "本次会议已为该指标和区县创建过督办事项 #{id}。"
ACTION_DEFAULT = "{district}{name}：{gap}，{due}前报告进展"
ACTION_NEW = "新增督办事项"
ACTION_PROMISE = "承诺内容"
ACTION_DUE = "完成期限"
ACTION_ADD = "添加"
ACTION_CLOSE = "标记为已完成"
ACTION_PICK = "选择督办事项"
ACTION_OVERDUE = "▲ 逾期"
EXPORT = "导出简报"
TASKS = "任务清单"
# marks from every CJK font (no emoji): they print in black and white and differ by shape
CHANGE_KINDS = {"new": "新报", "revised": "更正"}
EXPORT_DOCX = "Word 简报（.docx）"
EXPORT_XLSX = "Excel 表格（.xlsx）"
EXPORT_HTML = "网页（.html，可离线打开）"
MEETING_ATTENDING = "参会部门"
ACTION_HISTORY = "督办事项的状态记录"
ACTION_OWNER = "责任单位"
ACTION_TASK = "关联任务（可选）"

# weekly meeting: header, screen 2 and action items (issue 10)
MEETING_LABEL = "第{number}次 · {at:%Y-%m-%d %H:%M}"
MEETING_EXIT = "退出会议模式"
MEETING_EXPORT_ALL = "导出简报"
MEETING_EXPORT_ALL_HELP = "一次下载 Word、Excel 和网页三份简报（.zip），按点击时的数据生成。"
MEETING_EXPORT_ONE = "单独下载"
MEETING_PAGE_OF = "{i} / {n}"
MEETING_PAGE_HELP = "键盘 ← → 或翻页笔也可翻页"
MEETING_SINCE_NONE = "本次为首次会议，没有可比较的上次会议。"
CHANGES_FILES = "新收到的报送文件"
FILE_LINE = "{department} {periods} {kind}：{figures}项数据"
FILE_LINE_REJECTED = "{department} {periods} {kind}：已退回（{errors}个错误，见下表）"
FILE_KINDS = {"month": "月报", "quarter": "季报", "year": "年报", "tasks": "任务进展", "register": "台账"}
CHANGES_VALUES_HINT = "点选一行，在下方查看这个数字的全部来源（文件、工作表、单元格）。"
CHANGES_REJECTED = "退回文件的错误（按单元格）"
SOURCE_FORMAT = "{file} · {sheet} · {cells}"
ACTION_CAN_CLOSE = "指标已达标，可办结"
ACTIONS_CAN_CLOSE = "督办事项：指标已达标，可办结"
MEETING_START_AFTER_UPLOAD = "开始本周例会（冻结当前数据，进入会议）"
UPLOAD_ACCEPTS = ("可上传各部门的填报文件：Excel（.xlsx、.xls）或 CSV，每个不超过 {mb} MB，可一次选多个文件。"
                  "每个文件先逐个单元格检查，有错误的文件只存档、不导入；确认后才导入。")
MONTH_DAY = "{due:%m月%d日}"
MEETING_COLUMNS = {"status_before": "原状态", "value": "填写的内容", "before": "原值", "after": "新值", "change": "类型",
                   "source_before": "原值来源", "source_after": "新值来源", "rank_before": "原排名", "status_shown": "状态",
                   "value_shown": "数值", "target_shown": "目标值", "pace": "所需进度", "place": "名次",
                   "mean_rank": "各指标平均排名", "rated": RANK_RATED}
ACTION_COLUMNS = {"id": "编号", "promise": ACTION_PROMISE, "due_on": ACTION_DUE, "state": "状态", "meeting_on": "提出会议",
                  "department": "责任单位"}
TASK_COLUMNS = {"code": "任务编码", "name": "任务", "due_on": "完成时限", "updated_on": "更新日期", "evidence": "佐证材料",
                "state": "状态", "department": "牵头单位"}

# upload page: the report, the effect, history and revert
UPLOAD_SEVERITY = "类别"
SEVERITY_WORDS = {"error": "错误", "warning": "提示"}
UPLOAD_TYPED = "填写的内容"
UPLOAD_BEFORE, UPLOAD_AFTER = "导入前", "导入后"
PERIOD_FORMATS = "2026、2026-Q3 或 2026-09"
PERIOD_BAD = "统计期格式应为 2026、2026-Q3 或 2026-09"
COUNTED = "计入"
HISTORY_COLUMNS = {"current": "是否计入", "revert_of": "恢复自", "received_by": "接收人"}
REVERT_PICK = "恢复为较早的版本"
REVERT_GO = "恢复（记录为一次新的报送，不删除任何记录）"
REVERT_DONE = "已恢复：新的第 {new} 号报送使用 #{old} 的数据。"

# ---------------------------------------------------------------- issue 11: plan templates (指标体系 page)
PLAN_TEMPLATE = "选择方案模板"
PLAN_TEMPLATE_HELP = ("按本地方案建好的指标体系：每行注明方案出处；方案没写的（责任单位、时限、目标值）标为“待确认”，"
                      "方案有歧义处的取舍写在“口径说明”里，可修改后重新上传。")
PLAN_PICK = "方案"
PLAN_ABOUT = "模板说明"
PLAN_START = "用此方案新建监测数据库"
PLAN_DEMO_NOTE = ("当前是演示数据：新建后演示数据库将被替换为只含该方案指标体系的空数据库（演示数据可随时用 "
                  "python -m ingest demo 重建）。")
PLAN_EMPTY_NOTE = "当前数据库还没有报送数据：该方案的指标体系将成为本数据库的指标体系。"
PLAN_STARTED = "已用方案模板新建：{title}。指标 {indicators} 项、任务 {tasks} 项。下一步：在「数据上传」页下载各部门模板。"
PLAN_NONE = "data/plans 文件夹中没有方案模板。"
TASK_LIST = "任务清单（任务、成果、政策）"
TASK_LIST_NONE = "指标体系中没有任务清单。"
TASK_DUE_PENDING = "待确认"
CATALOG_NOTE_COLUMN = "口径说明"
TASK_CATALOG_COLUMNS = {"code": "任务编码", "category": "类别", "action": "行动", "name": "任务", "lead": "牵头单位",
                        "co_departments": "配合单位", "due_on": "完成时限", "evidence": "佐证材料", "note": "口径说明",
                        "source": "来源"}

# -- breakdowns (分组): 指标详情 and 区县对比
PARTS = "分组情况（{year}年 · {area}）"
PARTS_NONE = "{year}年{area}还没有分组数据。按{dims}的分组随报送文件填写（填报模板的「分组填报」工作表）。"
PART_GAP = "{dim}：{low}比{high}低 {gap}"
PART_EVEN = "{dim}：各分组持平"
PARTS_NOTE = "全市的分组数值 = 各区县该分组分子之和 ÷ 分母之和（数量为各区县之和）；台账指标按社区名册的城乡分组。"
PART_COLUMNS = {"dimension": "分组维度", "part": "分组", "period": "统计期", "numerator": "分子", "denominator": "分母",
                "value": "数值", "gap_to_best": "与最高分组差", "districts_reported": "覆盖区县数",
                "file_name": "来源文件", "district": "区县"}
PARTS_COMPARE = "分组对比"
PARTS_PICK_INDICATOR = "设分组的指标"
PARTS_PICK_PART = "分组"
PARTS_ALL = "{dim}（各分组并列）"
PARTS_COMPARE_NONE = "指标体系中还没有设分组的指标（在「指标」表的「分组」列填写 性别、年龄组 或 城乡）。"
PARTS_COMPARE_EMPTY = "{year}年还没有该指标的分组数据。"

# ---------------------------------------------------------------- issue 11: the task list page (任务清单)
TASKS_CAPTION = ("方案的任务、成果和政策：状态来自各部门报送的任务进展表；报告“已完成”但没有佐证材料的为“待佐证”，"
                 "过了完成时限仍未完成的为“逾期”。逾期和待佐证的排在最前。")
TASKS_NONE = ("指标体系中没有任务清单。请在指标体系工作簿中加一张「任务」工作表（任务编码、任务、牵头单位、完成时限），"
              "然后在「指标体系」页上传新版本；或在「指标体系」页选择一个方案模板。")
TASKS_CATEGORY = "类别"
TASKS_FILTER_NONE = "没有符合筛选条件的任务。"
TASKS_SHOWN = "显示 {shown} / {total} 项"
TASK_PAGE_COLUMNS = {"code": "编码", "category": "类别", "name": "任务", "department": "牵头单位", "due_on": "完成时限",
                     "state": "状态", "updated_on": "最近更新", "evidence": "佐证材料"}
EVIDENCE_TITLE = "上传佐证材料"
EVIDENCE_HELP = ("为任务添加佐证材料：上传文件（PDF、图片 PNG/JPG 或 Word 文档，不超过 {mb} MB），或填写发文字号（文号）。"
                 "文件按内容检查，不按文件名；保存后任务报告“已完成”的，状态即为“已完成”。")
EVIDENCE_TASK = "任务"
EVIDENCE_HOW = "佐证方式"
EVIDENCE_FILE = "上传文件"
EVIDENCE_DOCNO = "填写文号"
EVIDENCE_UPLOAD = "选择佐证文件（PDF、PNG、JPG、DOC、DOCX）"
EVIDENCE_DOCNO_INPUT = "文号"
EVIDENCE_DOCNO_PLACEHOLDER = "如 德妇字〔2026〕12号"
EVIDENCE_SAVE = "保存佐证材料"
EVIDENCE_NO_FILE = "请先选择要上传的佐证文件。"
EVIDENCE_NOT_OWN = "这项任务由{departments}牵头或配合。填报员只能为本部门牵头或配合的任务添加佐证材料；这项任务的进展和材料可在下面查看。"
EVIDENCE_KEPT_FILE = "已保存：{task} 的佐证材料「{name}」（{kind}，{size}）。任务现在的状态：{state}。"
EVIDENCE_KEPT_DOCNO = "已保存：{task} 的文号「{docno}」。任务现在的状态：{state}。"
EVIDENCE_HISTORY = "{task} 的进展记录和佐证材料"
EVIDENCE_HISTORY_NONE = "还没有收到这项任务的进展报告。"
EVIDENCE_PIECES_NONE = "还没有为这项任务上传佐证材料。"
TASK_HISTORY_COLUMNS = {"received_at": "接收时间", "state": "报告状态", "updated_on": "更新日期", "evidence": "佐证材料",
                        "note": "进展说明", "file_name": "文件", "sheet": "工作表", "state_cell": "单元格"}
EVIDENCE_PIECE_COLUMNS = {"received_at": "保存时间", "kind": "方式", "piece": "文件或文号", "file_type": "类型",
                          "size_bytes": "大小（字节）", "received_by": "保存人"}
EVIDENCE_KINDS = {"file": "文件", "docno": "文号"}
TASKS_ATTENTION = "逾期{overdue}项、待佐证{awaiting}项，排在最前。"

# ---------------------------------------------------------------- issue 13: login, roles, accounts, audit trail
PAGE_ACCOUNTS = "账号管理"
PAGE_AUDIT = "操作记录"
LOGIN_TITLE = "登录"
LOGIN_CAPTION = "本看板已启用账号登录。请输入管理员为您开设的账号和密码。"
LOGIN_NAME = "账号"
LOGIN_PASSWORD = "密码"
LOGIN_BUTTON = "登录"
LOGIN_EMPTY = "请输入账号和密码。"
LOGIN_MINUTES_LEFT = "（还需等待约 {minutes} 分钟）"
LOGIN_HELP = "忘记密码或账号被锁定时，请联系管理员重设密码。"
SESSION_EXPIRED = "您已 {minutes} 分钟没有操作，为安全起见已自动退出，请重新登录。"
SESSION_ENDED = "您的账号已被停用或删除，已退出登录。如需使用，请联系管理员。"
LOGGED_OUT = "已退出登录。"
SIGNED_IN = "当前用户：{who}"
LOGOUT = "退出登录"
MY_NAME = "您的姓名"
MY_NAME_HELP = "您的上传、恢复、会议等操作将以此姓名记入操作记录；本浏览器会记住，下次不用再填。不填时记为本机用户（{user}）。"
MY_NAME_PLACEHOLDER = "如 王敏"
PERSONAL_MODE_NOTE = "个人模式（未启用账号登录）"
VIEWER_ONLY = "您的账号为查看者，只能查看。"
ADMIN_ONLY = "只有管理员可以打开本页。"
UPLOAD_OWN_DEPARTMENT = "您的账号属于{department}，只能上传本部门的文件。"
UPLOAD_REFUSED_BEFORE = "不能导入：{message}"
UPLOAD_REFUSED = "{n} 个文件被拒收，没有导入任何数据："

# 本部门报送清单 (a 填报员's own checklist on 数据上传)
CHECKLIST = "本部门报送清单"
CHECKLIST_DUE = "待报送（未报、退回和未到截止日期的）"
CHECKLIST_DUE_NONE = "目前没有待报送的统计期。"
CHECKLIST_RETURNED = "被退回的文件（按问题修改后重新上传）"
CHECKLIST_RETURNED_NONE = "没有被退回、尚未重新报送的文件。"
CHECKLIST_PENDING = "已上传、等待管理员审核的文件"
CHECKLIST_SENT_BACK = "管理员审核后退回的文件（按原因修改后重新上传）"
CHECKLIST_SENT_BACK_COLUMNS = {"returned_at": "退回时间", "reason": "退回原因"}
APPROVAL_QUEUE = "待审核"
APPROVAL_QUEUE_CAPTION = ("部门上传的文件在管理员审核通过前不计入任何数字（总览、周例会、简报和命令行报告）。"
                          "下面是每份文件通过后全市数字的变化；退回时须写明原因，部门会在「本部门报送清单」看到。")
APPROVAL_NONE = "没有待审核的文件。"
APPROVAL_FILE = "#{id} {file}（{department}，{periods}，{rows} 行，{received:%Y-%m-%d %H:%M} 由 {by} 上传）"
APPROVAL_REOPENED = "此前已通过，被重新打开：{reason}"
APPROVAL_NO_EFFECT = "通过后全市数字不变（可能只涉及区县层面，或与现有数字相同）。"
APPROVE = "审核通过"
RETURN = "退回"
RETURN_REASON = "退回原因（部门会看到）"
APPROVED_DONE = "已通过第 {id} 号报送，其数字自现在起计入。"
RETURNED_DONE = "已退回第 {id} 号报送。"
APPROVAL_WORDS = {"pending": "待审核", "returned": "审核退回"}   # 报送历史's 是否计入 of a file that does not count
REOPEN_TITLE = "重新打开已通过的报送"
REOPEN_CAPTION = "重新打开后，该报送的数字立即停止计入，回到「待审核」，再由管理员通过或退回。须写明原因，原因记入操作记录。"
REOPEN_PICK = "已审核通过的报送（最新的在前）"
REOPEN_REASON = "重新打开的原因（必填）"
REOPEN_GO = "重新打开"
REOPENED_DONE = "已重新打开第 {id} 号报送：其数字已停止计入，已回到「待审核」。"
CHECKLIST_PENDING_NONE = "没有等待审核的文件。"
CHECKLIST_COLUMNS = {"period": "统计期", "deadline": "截止日期", "status": "状态", "days_late": "逾期天数",
                     "file_name": "文件", "periods": "统计期", "received_at": "上传时间", "received_by": "上传人",
                     "sheet": "工作表", "cell": "单元格", "message": "问题和修改方法", "n_rows": "行数"}

# 账号管理
ACCOUNTS_CAPTION = "账号存在时看板需要登录（服务器模式）。密码只以不可逆的摘要保存，任何页面和记录都不显示密码。"
ACCOUNTS_NONE = "还没有账号：看板处于个人模式，不需要登录。添加第一个账号（请先添加管理员）后，看板即需要登录。"
ACCOUNT_COLUMNS = {"name": "账号", "role": "角色", "department": "部门", "state": "状态", "created_at": "创建时间",
                   "last_login": "最近登录", "failed_count": "连续输错次数"}
ACCOUNT_STATES = {"disabled": "已停用", "locked": "锁定至 {until:%Y-%m-%d %H:%M}", "ok": "可用"}
ACCOUNT_ADD = "添加账号"
ACCOUNT_NAME = "账号名"
ACCOUNT_NAME_PLACEHOLDER = "如 张三 或 卫健委-李四"
ACCOUNT_ROLE = "角色"
ACCOUNT_ROLE_HELP = "管理员：全部功能；填报员：只能上传本部门的文件；查看者：只能查看。"
ACCOUNT_DEPARTMENT = "所属部门（仅填报员）"
ACCOUNT_PASSWORD = "密码"
ACCOUNT_PASSWORD_AGAIN = "再输入一次密码"
ACCOUNT_PASSWORD_HELP = "至少 {n} 位；建议用一句话或几个词组成的长密码。"
ACCOUNT_PASSWORDS_DIFFER = "两次输入的密码不一致，账号未改动。"
ACCOUNT_ADDED = "已添加账号「{name}」（{role}）。"
ACCOUNT_FIRST = "这是第一个账号：看板从现在起需要登录（服务器模式）。"
ACCOUNT_FIRST_LOGIN = ("已添加账号「{name}」（{role}）。这是第一个账号，看板已切换为服务器模式：从现在起每个人都需要登录。"
                       "请用该账号和刚才设置的密码登录。")
ACCOUNT_CHANGE = "停用、启用或重设密码"
ACCOUNT_PICK = "选择账号"
ACCOUNT_DISABLE = "停用"
ACCOUNT_ENABLE = "启用"
ACCOUNT_DISABLED = "已停用账号「{name}」：它不能再登录，已打开的看板在下次操作时退出。"
ACCOUNT_ENABLED = "已启用账号「{name}」。"
ACCOUNT_RESET = "重设密码（同时解除锁定）"
ACCOUNT_NEW_PASSWORD = "新密码"
ACCOUNT_RESET_DONE = "已重设账号「{name}」的密码，锁定已解除。"

# 操作记录
AUDIT_CAPTION = "每一次修改数据、登录和账号变动都记录一行（谁、什么角色、何时、做了什么、从哪个地址），只增不改。"
AUDIT_FROM = "从"
AUDIT_TO = "到"
AUDIT_PERSON = "操作人"
AUDIT_ACTION = "操作"
AUDIT_SHOWN = "共 {n} 条"
AUDIT_NONE = "没有符合条件的记录。"
AUDIT_DOWNLOAD = "下载 CSV"
AUDIT_FILE = "操作记录_{start}_{end}.csv"
AUDIT_COLUMNS = {"occurred_at": "时间", "actor": "操作人", "role": "角色", "department": "部门", "address": "地址",
                 "action": "操作", "object_kind": "对象", "object_id": "对象编号", "detail": "详情"}
AUDIT_OBJECTS = {"submission": "报送", "receipt": "收件", "account": "账号", "meeting": "会议", "action_item": "督办事项",
                 "task": "任务", "catalog": "指标体系", "package": "数据包", "backup": "备份"}
