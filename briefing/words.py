"""Every word the briefing shows, in one place. Words the dashboard shows too come from ui.strings.

The briefing prints in black and white: statuses are plain words, each with a geometric mark that
needs no colour (never an emoji).
"""
from metrics.board import LATE, MISSING, REJECTED
from ui import strings as S
from ui.format import BOARD_STYLE, STATUS_STYLE

APP_NAME = S.APP_TITLE
DEMO_MARK = "演示数据（生成的数字，非真实统计）"
FILE_STEM = "周例会简报_{date}"

# the head of the 工作简报
TITLE = "儿童友好城市建设工作简报"
ISSUE = "第{n}期"
MEETING_LINE = "{title}　数据截至：{as_of}　年度：{year}年"

# sections: the first page, then the rest, then the annex
OVERVIEW = "总体情况"
NEWLY_MET = "新达标指标"
LAGGING = S.LAGGING
LAGGING_NONE = S.LAGGING_NONE
LAGGING_DETAIL = "滞后指标的差距与所需进度"
LAGGING_CITY_INTRO = "{place}滞后{n}项。"
LAGGING_CITY_NONE = "{place}指标均未滞后。"
LAGGING_MORE = "区县层面另有{n}项滞后，差距和所需进度见“{detail}”。"
OPEN_ACTIONS = "在办督办事项"
REJECTED_FILES = "退回的报送"
CHANGES = "上次会议以来的变化"
MISSING_LATE = "未报和逾期"
TASKS = S.TASKS
ANNEX = "附件"
ANNEX_VALUES = "数值变化明细（原值 → 新值）"
NUMERALS = "一二三四五六七八九十"
HEADING = "{numeral}、{title}"

NOTHING = S.NOTHING
FIRST_MEETING = "本次是第一次会议，没有可对比的上次会议。"
NEWLY_MET_NONE = "上次会议以来没有新达标的指标。"
OPEN_ACTIONS_NONE = "没有在办的督办事项。"
REJECTED_NONE = "截至{as_of}，没有退回的报送。"
MISSING_NONE = "截至{as_of}，没有逾期或未报的报送。"
CHANGES_INTRO = ("对比上次会议（{date}，数据截至{as_of}）：收到报送{files}份（其中更正{revisions}份、退回{rejected}份）；"
                 "数值变化{values}处（明细见附件），状态变化{status}项，新达标{met}项，排名变化{rank}处。")
NEWLY_MET_INTRO = "上次会议以来新达到目标{n}项。"
LAGGING_INTRO = "共{n}项（{place}{city}项，区县{districts}项）。“所需进度”是距目标年底每月还需的提高（或降低）幅度。"
OPEN_ACTIONS_INTRO = "在办{open}项，其中逾期{overdue}项；上次会议以来办结{done}项。"
REJECTED_INTRO = "截至{as_of}，{n}份报送只收到有错误的文件或被管理员退回，须修改后重新报送。"
MISSING_INTRO = "截至{as_of}，逾期{late}份、未报{missing}份。"
TASKS_INTRO = "未完成{open}项，其中逾期{overdue}项、已报完成待佐证{awaiting}项（均排在前面）；上次会议以来完成{done}项。"
ANNEX_INTRO = "上次会议以来新报和更正的数字，逐条列出原值和新值（比率同时列出分子/分母）。"
ANNEX_FIRST = "本次是第一次会议，没有可对比的数字。"
FOOTER = "由{app}生成；数字按会议冻结时（{as_of}）已收到的报送计算。"

# table titles and columns (short: Word and the web page are read on phones)
HEADLINE_TABLE = "指标状态（项）"
VALUES_TABLE = "数值变化"
STATUS_TABLE = S.CHANGES_STATUS
RANK_TABLE = S.CHANGES_RANK
CLOSED_TABLE = "上次会议以来办结的督办事项"
# Excel: one sheet per table, one typed column per field
SUMMARY_SHEET = "简报摘要"
SUMMARY_COLUMNS = ["项目", "内容"]
SUMMARY = {"demo": "数据性质", "briefing": "简报", "office": "印发单位", "meeting": "会议", "held_on": "会议日期",
           "as_of": "数据截至", "previous_as_of": "上次会议数据截至", "year": "年度", "summary": "摘要"}
SHEET = {  # table: (sheet name, columns)
    "headline": ("主要进展", ["状态", "项数", "上次会议", "变化"]),
    "met": ("新达标", ["指标编码", "指标", "区县", "原状态", "数值", "目标值"]),
    "actions": ("督办事项", ["编号", "督办事项", "责任单位", "指标", "区县", "完成期限", "状态", "是否逾期", "提出会议日期",
                         "备注"]),
    "rejected": ("退回的报送", ["填报单位", "统计期", "状态", "截止日期", "逾期天数", "文件", "接收时间", "联系人", "联系电话"]),
    "status": ("状态变化", ["指标编码", "指标", "区县", "原状态", "新状态", "原值", "新值"]),
    "rank": ("排名变化", ["指标编码", "指标", "区县", "原排名", "新排名", "上升名次"]),
    "closed": ("办结督办事项", None),      # as "actions"
    "lagging": ("滞后指标", ["状态", "指标编码", "指标", "区县", "数值", "目标值", "目标年", "完成度", "差距", "所需进度",
                         "牵头单位"]),
    "missing": ("未报和逾期", None),       # as "rejected"
    "tasks": (S.TASKS, ["任务编码", "任务", "牵头单位", "完成时限", "状态", "更新日期", "佐证材料", "进展说明"]),
    "values": ("数值变化", ["类型", "指标编码", "指标", "区县", "统计期", "原值", "新值", "原分子", "新分子", "原分母", "新分母",
                        "填报单位", "文件", "接收时间"]),
}
SHEET["closed"] = (SHEET["closed"][0], SHEET["actions"][1])
SHEET["missing"] = (SHEET["missing"][0], SHEET["rejected"][1])
COL = {"status": "状态", "count": "项数", "change": "较上次", "indicator": "指标", "value_change": "原值 → 新值",
       "source": "来源", "status_change": "状态变化", "values": "数值", "district": "区县", "rank": "排名",
       "value_target": "数值 / 目标", "gap": "差距与所需进度", "department": "单位", "period": "统计期",
       "contact": "联系人", "promise": "督办事项", "owner": "责任单位", "due": "期限", "lead": "牵头单位",
       "task": "任务", "file": "文件", "deadline": "截止", "target": "目标"}
STEADY = "持平"
ITEMS = "项"
RANK_MOVE = "第{before} → 第{after}（{arrow}）"
DAY = "{month}月{day}日"
DATE = "{year}年{month}月{day}日"
SAME_DAY = "_会议{id}"
NEW, REVISED = S.CHANGE_KINDS["new"], S.CHANGE_KINDS["revised"]
RATE_PARTS = "分子/分母 "
OVERDUE = "逾期"
OVERDUE_DAYS = "{days} 天"
LAGGING_DISTRICTS = "滞后区县：{names}"
DISTRICTS_LAGGING = "{n} 个区县"
CITY_NOT_LAGGING = "{place}未滞后"
TARGET = "目标 {target}"
DEADLINE = "截止 {day}"
YES, NO = "是", "否"

# charts on the web page
CHART_STATUS = "{year}年{place}指标状态（项）"
CHART_LAGGING = "{place}滞后指标的目标完成度（数值 ÷ 目标）"
HOVER_STATUS = "{status}：{n} 项"
HOVER_CHANGE = "（较上次 {change}）"
HOVER_LAGGING = "{name}（{district}）<br>{status}：{value}，目标 {target}<br>{gap}"
CHART_LAGGING_DISTRICTS = "滞后指标的目标完成度（数值 ÷ 目标，前{n}项）"

# The dashboard's marks (shapes that print in black and white), so paper and screen read alike.
STATUS_MARK = {word: mark for word, (mark, _) in STATUS_STYLE.items()}
BOARD_MARK = {word: BOARD_STYLE[word][0] for word in (LATE, MISSING, REJECTED)}
