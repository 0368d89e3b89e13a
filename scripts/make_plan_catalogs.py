"""Build data/plans/*.xlsx: one catalog workbook (the format of data/catalog.xlsx) per plan summarised in
/work/shared/plans/ (issue 11, "every plan monitorable").

The plan content sits below in plain tables that follow the summaries row by row: Table A (quantified
targets) becomes indicators with targets, Table B (commitments) becomes the 任务 sheet, the expected-results
and policy lists become tasks of 类别 成果 / 政策. Every row's 来源 names the plan, its section and the
summary's row (A1, B5 …). Where a plan does not say something the cell says 待确认: the department
"待确认（方案未写明）", a blank 完成时限, a target whose 来源 says 待确认 — never an invented value. What a
plan leaves open and the catalog had to choose is in the 口径说明 column, naming the alternative.

Deterministic: fixed workbook timestamps, so a rerun gives byte-identical files.

    python scripts/make_plan_catalogs.py [--out data/plans]
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "plans"
FIXED_TIME = dt.datetime(2026, 11, 1)

PENDING = "待确认"
PENDING_DEPT = ("DQR", "待确认（方案未写明）", "待确认、未载明")


@dataclass
class Plan:
    file: str
    title: str
    about: list[str]
    districts: list[tuple]            # 统计代码, 名称, 别名, 上级代码, 类型
    departments: list[tuple]          # 部门编码, 部门名称, 别名
    indicators: list[tuple]           # see IND below
    targets: list[tuple]              # 指标编码, 年度, 目标值, 层级, 目标性质, 来源
    tasks: list[tuple]                # see TASK below
    table_a: list[str] = field(default_factory=list)   # the summary's Table A rows, for the coverage count
    table_b: list[str] = field(default_factory=list)


# 指标 columns, in this order (the 领域 is one of the catalog's five; the plan's own area is the 行动)
IND = ("指标编码", "领域", "行动/任务", "指标名称", "类型", "比例基数", "累计方式", "填报口径", "分子定义", "分母定义",
       "单位", "方向", "牵头单位", "配合单位", "报送频率", "基线年", "基线值", "来源", "缺口表述", "口径说明")
TASK = ("任务编码", "类别", "行动", "任务", "牵头单位", "配合单位", "完成时限", "佐证材料", "来源", "口径说明")
TARGET = ("指标编码", "年度", "目标值", "层级", "目标性质", "来源")


def rate(code, area, action, name, num, den, lead, source, note, co=None, unit="%", direction="越高越好",
         gap=None):
    return (code, area, action, name, "比率", 100, None, None, num, den, unit, direction, lead, co, "年", None, None,
            source, gap, note)


def count(code, area, action, name, unit, accumulation, lead, source, note, basis=None, co=None, baseline=(None, None),
          gap=None):
    return (code, area, action, name, "数量", None, accumulation, basis, None, None, unit, "越高越好", lead, co, "年",
            baseline[0], baseline[1], source, gap, note)


def task(code, category, action, name, lead, due, evidence, source, note=None, co=None):
    return (code, category, action, name, lead, co, due, evidence, source, note)


D = PENDING_DEPT[1]   # the lead of whatever the plan does not assign

# ===================================================================== 01 东阿县
DA = "东阿方案"
DA_SPACE, DA_RIGHTS, DA_FAMILY, DA_SAFETY = ("打造“可触可感”的友好空间", "健全精准有力的儿童友好权利保障体系",
                                             "培养健康文明的儿童友好发展环境", "开展多形式的儿童安全保护提升行动")
DONGE = Plan(
    file="东阿县.xlsx",
    title="《东阿县儿童友好城市建设方案》监测指标体系（方案模板）",
    about=[
        "依据：东阿县妇儿工委副主任、妇联主席对《东阿县儿童友好城市建设方案》的解读（东阿县政府办公室，2024-01-31），不是方案全文。",
        "方案共涉及41个单位、36项目标；本资料只列出1项量化目标（阅读空间示范点不少于10个）和2项“普遍开展”（学校、医院），其余目标待取得方案全文后补录。",
        "领域：方案的四项重点任务写在「行动」列；「领域」列按国家五大领域归类（友好空间→成长空间友好，权利保障、安全保护→权利保障友好，发展环境→发展环境友好）。",
        "牵头单位：方案未写明任何一项的责任单位，统一填“待确认（方案未写明）”；解读材料推断的单位只写在口径说明里，确认后请改「牵头单位」列。",
        "完成时限为空的任务，方案未写明时限，看板显示“待确认”。目标的来源写有“待确认”的，是按方案文字推断的数值或年份，看板标为待确认。",
        "区县：方案只写东阿县（行政区划码371524，见解读的索引号），未列乡镇（街道），暂以“全县（方案未分镇街）”一个单位报送；分镇街监测时请在「区县」表补充真实名称和代码。",
        "社区：方案无社区名册，「社区」表为空；需要台账类指标时再补录。",
        "目标的层级填“市”：在看板里指本级（东阿县）自己的目标；“县”级目标是分给下级每个报送单位的。",
        "规划期：方案唯一的时间节点是“到2025年底”，看板按目标年把规划期定为2025年，只接收2025年的数据；要报送更早年份，请在「指标」表填写基线年（起算年方案未写明）。",
        "背景数（不是目标）：0–14岁儿童67613人（19.5%），0–18岁儿童79536人（23%），统计年份未载明。",
    ],
    districts=[("371524", "东阿县", "东阿", None, "县"),
               ("371524-ALL", "全县（方案未分镇街）", "全县", "371524", "县")],
    departments=[("FEW", "县妇儿工委办", "妇儿工委办、县妇儿工委、妇儿工委"),
                 ("FL", "县妇联", "妇联"), PENDING_DEPT],
    indicators=[
        count("DA-01", "成长空间友好", DA_SPACE, "儿童阅读空间示范点数（小区、社区、学校、图书馆、公共空间等）", "个",
              "累计", D, f"{DA} 二、一是 · A1",
              "选择：到2025年底的累计存量，含2023年以前已有的示范点（填报累计数）；另一种理解是2023年起新建的数量。"
              "起算时间、基线存量、示范点的认定标准和认定主体方案均未写明，待确认。各类型合计为一个数，是否分类统计待定。"
              "牵头单位推断为文旅（图书馆）、教育、妇联，待确认。", basis="累计数", gap="还需建成{n}个示范点"),
        rate("DA-02", "成长空间友好", DA_SPACE, "开展儿童友好学校建设的学校占比", "开展儿童友好学校建设的学校数",
             "全县学校数", D, f"{DA} 二、一是 · A2",
             "选择：“普遍开展”按100%、2025年解读（均为推断，目标标待确认）；另一种做法是定一个低于100%的比例。"
             "统计“开展建设”，不是“建成/达标”。", gap="还需{n}所学校开展"),
        rate("DA-03", "成长空间友好", DA_SPACE, "开展儿童友好医院建设的医院占比", "开展儿童友好医院建设的医院数",
             "全县提供儿童诊疗服务的医院数", D, f"{DA} 二、一是 · A3",
             "选择：“普遍开展”按100%、2025年解读（推断，待确认）。分母“提供儿童诊疗服务的医院”是否含乡镇卫生院、"
             "民营医院，方案未写明，待确认。"),
        count("DA-04", "权利保障友好", DA_RIGHTS, "“希望小屋”当年建成数", "个", "年度", D, f"{DA} 二、二是 · B5",
              "方案未给数量，无目标（待确认）。牵头单位推断为团县委，待确认。"),
        count("DA-05", "权利保障友好", DA_RIGHTS, "“春蕾计划”当年资助女童人数", "人", "年度", D, f"{DA} 二、二是 · B6",
              "方案未给数量，无目标（待确认）。牵头单位推断为县妇联，待确认。"),
        count("DA-06", "权利保障友好", DA_RIGHTS, "“爱心妈妈”结对数（年末在结对）", "对", "累计", D,
              f"{DA} 二、二是 · B7",
              "选择：填报年末仍在结对的总数（累计数）；另一种是当年新结对数。方案未给数量，无目标（待确认）。",
              basis="累计数"),
        count("DA-07", "发展环境友好", DA_FAMILY, "“最美家庭”当年评选户数", "户", "年度", D, f"{DA} 二、三是 · B12",
              "方案写“常态化开展”，频次和数量未载明，无目标（待确认）。"),
        count("DA-08", "发展环境友好", DA_FAMILY, "规范化社区家长学校数", "所", "累计", D, f"{DA} 二、三是 · B17",
              "填报年末达到规范化的社区家长学校总数；规范化标准方案未写明，无目标（待确认）。", basis="累计数"),
    ],
    targets=[
        ("DA-01", 2025, 10, "市", "不低于", f"{DA} 二、一是 · A1（“不少于10个”，到2025年底）"),
        ("DA-02", 2025, 100, "市", "达到", f"{DA} 二、一是 · A2（“普遍开展”按100%、2025年解读，待确认）"),
        ("DA-03", 2025, 100, "市", "达到", f"{DA} 二、一是 · A3（“普遍开展”按100%、2025年解读，待确认）"),
    ],
    tasks=[
        task("DA-B01", "任务", DA_SPACE, "在空间建设、设施设备、服务配套中融入儿童友好元素", D, None,
             "改造项目清单、设计文件、完工照片", f"{DA} 二、一是 · B1"),
        task("DA-B02", "任务", DA_SPACE, "打造儿童友好阅读空间示范点，并在全县逐步推广", D, "2025-12-31",
             "示范点名录（地址/类型/挂牌日期）、推广点名录", f"{DA} 二、一是 · B2",
             "示范点到2025年底；推广无时限。数量见指标 DA-01。牵头单位推断为文旅（图书馆）、教育、妇联，待确认。"),
        task("DA-B03", "任务", DA_SPACE, "形成“人人、时时、事事、处处”儿童友好氛围", D, None,
             "公众知晓度调查", f"{DA} 二、一是 · B3", "愿景，无原文指标。"),
        task("DA-B04", "任务", DA_RIGHTS, "推进“儿童友好 爱伴童行”志愿服务项目", D, None,
             "项目方案、志愿者/服务时长台账", f"{DA} 二、二是 · B4"),
        task("DA-B05", "任务", DA_RIGHTS, "实施“希望小屋”留守儿童关爱项目", D, None,
             "建成小屋名单、受益儿童名单", f"{DA} 二、二是 · B5", "数量见指标 DA-04。牵头单位推断为团县委，待确认。"),
        task("DA-B06", "任务", DA_RIGHTS, "实施“春蕾计划”", D, None, "资助名单、资金拨付凭证", f"{DA} 二、二是 · B6",
             "人数见指标 DA-05。牵头单位推断为县妇联，待确认。"),
        task("DA-B07", "任务", DA_RIGHTS, "实施“爱心妈妈”结对关爱", D, None, "结对名单、走访记录", f"{DA} 二、二是 · B7",
             "结对数见指标 DA-06。牵头单位推断为县妇联，待确认。"),
        task("DA-B08", "任务", DA_RIGHTS, "推进残疾儿童康复救助", D, None, "救助人数、定点机构名单", f"{DA} 二、二是 · B8",
             "牵头单位推断为县残联，待确认。"),
        task("DA-B09", "任务", DA_RIGHTS, "加强孤儿和事实无人抚养儿童保障", D, None, "保障对象名册、补贴发放记录",
             f"{DA} 二、二是 · B9", "牵头单位推断为县民政局，待确认。"),
        task("DA-B10", "任务", DA_RIGHTS, "多部门协力推进困境、留守儿童关爱工作", D, None, "联席会议纪要、排查台账",
             f"{DA} 二、二是 · B10"),
        task("DA-B11", "任务", DA_FAMILY, "深入实施家家幸福安康工程", D, None, "年度工作方案、活动记录",
             f"{DA} 二、三是 · B11", "牵头单位推断为县妇联，待确认。"),
        task("DA-B12", "任务", DA_FAMILY, "常态化开展寻找“最美家庭”活动", D, None, "评选通知、获评名单",
             f"{DA} 二、三是 · B12", "“常态化”，频次未载明；户数见指标 DA-07。牵头单位推断为县妇联，待确认。"),
        task("DA-B13", "任务", DA_FAMILY, "开展家风家教主题宣传和实践活动", D, None, "活动场次/参与人数台账",
             f"{DA} 二、三是 · B13"),
        task("DA-B14", "任务", DA_FAMILY, "深入实施“智家有”家庭教育支持行动", D, None, "行动方案、服务记录",
             f"{DA} 二、三是 · B14", "牵头单位推断为县妇联、教育局，待确认。"),
        task("DA-B15", "任务", DA_FAMILY, "抓实“母亲素质提升工程”", D, None, "培训场次/人次", f"{DA} 二、三是 · B15",
             "牵头单位推断为县妇联，待确认。"),
        task("DA-B16", "任务", DA_FAMILY, "常态化开展家教公益课堂", D, None, "课堂场次、签到表", f"{DA} 二、三是 · B16",
             "“常态化”，频次未载明。"),
        task("DA-B17", "任务", DA_FAMILY, "加强社区家长学校规范化建设", D, None, "社区家长学校名录及规范化达标情况",
             f"{DA} 二、三是 · B17", "数量见指标 DA-08。"),
        task("DA-B18", "任务", DA_FAMILY, "持续开展“幸福护航”婚姻家庭辅导服务", D, None, "辅导服务人次",
             f"{DA} 二、三是 · B18", "牵头单位推断为县妇联、民政，待确认。"),
        task("DA-B19", "任务", DA_FAMILY, "促进家政服务提质扩容", D, None, "家政培训/企业数据", f"{DA} 二、三是 · B19",
             "牵头单位推断为商务、人社，待确认。"),
        task("DA-B20", "任务", DA_SAFETY, "广泛开展“法治进校园”等未成年人普法宣传", D, None, "进校园场次、覆盖学校数",
             f"{DA} 二、四是 · B20", "牵头单位推断为司法局、教育局，待确认。"),
        task("DA-B21", "任务", DA_SAFETY, "严厉打击侵害未成年人犯罪", D, None, "案件办理统计", f"{DA} 二、四是 · B21",
             "牵头单位推断为公安、检察，待确认。"),
        task("DA-B22", "任务", DA_SAFETY, "依法为符合条件的未成年人提供法律援助和司法救助", D, None, "援助/救助件数",
             f"{DA} 二、四是 · B22", "牵头单位推断为司法局、法院、检察院，待确认。"),
        task("DA-B23", "任务", DA_SAFETY, "优化校园周边环境，设立护学岗，守护交通安全", D, None,
             "护学岗数量及覆盖学校清单", f"{DA} 二、四是 · B23", "牵头单位推断为公安交警、教育局，待确认。"),
        task("DA-B24", "任务", DA_SAFETY, "法定节假日、寒暑假等节点开展校园周边文化环境专项整治", D, None,
             "整治方案、检查记录", f"{DA} 二、四是 · B24", "周期性（节假日、寒暑假）。牵头单位推断为文旅、市场监管，待确认。"),
        task("DA-B25", "任务", DA_SAFETY, "开展网络文化市场专项整治", D, None, "整治通报", f"{DA} 二、四是 · B25",
             "牵头单位推断为网信、文旅，待确认。"),
    ],
    table_a=["A1", "A2", "A3"],
    table_b=[f"B{i}" for i in range(1, 26)],
)

# ======================================================= 02 三年行动计划（2023-2025）
SY = "三年行动计划"
SY_DESIGN, SY_RESEARCH, SY_PARTICIPATE, SY_PROJECTS, SY_WELFARE, SY_GOAL = (
    "1. 儿童友好政策设计行动", "2. 儿童友好政策研究行动", "3. 儿童参与实践行动", "4. 实事项目促进行动",
    "5. 儿童福利提升行动", "总体目标")
THREE_YEAR = Plan(
    file="三年行动计划2023-2025.xlsx",
    title="《建设儿童友好城市三年行动计划（2023-2025年）》监测指标体系（方案模板）",
    about=[
        "依据：文档分享站的预览摘录，原文件11页，本资料只有前一部分，截断在第(16)条；市名、省份、发文机关均未载明。",
        "第(16)条以后的条目，以及服务人才培育、空间建设、生态环境、文化教育等行动缺失，取得全文后补录。",
        "领域：方案的五个领域与国家五大领域一致，直接使用；「行动」列为方案的行动编号和名称。",
        "牵头单位：可见部分没有点名任何责任单位，统一填“待确认（方案未写明）”。",
        "完成时限为空的任务，方案未写明时限，看板显示“待确认”。目标的来源写有“待确认”的，是推断的数值或年份。",
        "区县：市名未载明，暂以“某市（方案未载明市名）”和一个报送单位“全市（方案未分区县）”代替；请在「区县」表改为真实的市和区县名称、代码。",
        "社区：方案无社区名册，「社区」表为空。",
        "OCR 更正（推断）：“每年组织23个重点课题”疑为“2-3个”，目标暂按每年不少于2个，标待确认，见口径说明。",
    ],
    districts=[("CITY", "某市（方案未载明市名）", "", None, "市"),
               ("CITY-ALL", "全市（方案未分区县）", "全市", "CITY", "区")],
    departments=[PENDING_DEPT],
    indicators=[
        count("SY-01", "社会政策友好", SY_RESEARCH, "年度儿童发展重点课题研究数", "个", "年度", D, f"{SY} (一)2.(3) · A1",
              "原文“每年组织23个重点课题”，疑为OCR丢了连字符（原意2-3个）。选择：每年不少于2个（待确认）；"
              "另一种理解是每年23个，两者达标判定差一个数量级，须对照原件。拟由儿童友好城市建设研究院组织。"),
        rate("SY-02", "公共服务友好", SY_PROJECTS, "普惠托育服务占比", "普惠性托位数", "托位总数", D,
             f"{SY} (二)4.(8) · A2",
             "选择：按托位计（普惠托位÷总托位）；另两种口径是普惠机构÷总机构、普惠在托人数÷总在托人数。“不低于”含30%本身。"),
        rate("SY-03", "公共服务友好", SY_PROJECTS, "婴幼儿照护服务设施社区覆盖率", "建有婴幼儿照护服务设施的社区数",
             "社区总数", D, f"{SY} (二)4.(8) · A3",
             "选择：分母为城市社区，不含行政村；另一种理解是含行政村（待确认）。"),
        count("SY-04", "公共服务友好", SY_PROJECTS, "“梦想小屋”改造户数（累计）", "户", "累计", D,
              f"{SY} (二)4.(9) · A4、A5",
              "选择：2025年的500户含2023年的200户（累计达到，填报累计数）；另一种理解是2024–2025年再新增500户、累计700户。",
              basis="累计数", baseline=(2022, 0), gap="还需改造{n}户"),
        count("SY-05", "公共服务友好", SY_PROJECTS, "完成教室照明改造提升的义务教育学校数（累计）", "所", "累计", D,
              f"{SY} (二)4.(10) · A6",
              "选择：填报累计改造的学校数，2023年后保持不少于50所；原文只写2023年改造50所。", basis="累计数",
              baseline=(2022, 0)),
        rate("SY-06", "公共服务友好", SY_PROJECTS, "0–6岁儿童眼保健和视力检查覆盖率", "接受眼保健和视力检查的0–6岁儿童数",
             "0–6岁儿童数", D, f"{SY} (二)4.(10) · A7",
             "选择：“保持在95%以上”按2023–2025年每年不低于95%（含95%本身）；另一种理解是只看2025年。"),
        rate("SY-07", "公共服务友好", SY_PROJECTS, "儿童关爱之家覆盖率", "建有儿童关爱之家的村（社区）数",
             "村（社区）总数", D, f"{SY} (二)4.(11) · A8",
             "选择：按村（社区）计；另一种理解是按镇（街道）计，原文未写明（待确认）。"),
        rate("SY-08", "公共服务友好", SY_PROJECTS, "镇（街道）未成年人保护工作站覆盖率", "建有未成年人保护工作站的镇（街道）数",
             "镇（街道）总数", D, f"{SY} (二)4.(11) · A9", "按镇（街道）计，原文明确。"),
        count("SY-09", "公共服务友好", SY_PROJECTS, "青少年暑托班数（当年暑期）", "个", "年度", D, f"{SY} (二)4.(12) · A10",
              "选择：每年暑期各不少于500个（年份未载明，2023–2025年每年，待确认）；另一种理解是三年累计500个。"
              "“个”按班计；也可能指点位或期次（待确认）。"),
        rate("SY-10", "公共服务友好", SY_PROJECTS, "落地儿童类服务项目的镇（街道）占比", "至少落地1个儿童类服务项目的镇（街道）数",
             "镇（街道）总数", D, f"{SY} (二)4.(13) · A11",
             "选择：“各落地一个”按每镇街至少1个计（覆盖率100%）；另一种理解是恰好1个。"),
        rate("SY-11", "公共服务友好", SY_PROJECTS, "建有少年儿童实践基地的镇（街道）占比", "至少建有1个少年儿童实践基地的镇（街道）数",
             "镇（街道）总数", D, f"{SY} (二)4.(13) · A12", "选择：按每镇街至少1个计（覆盖率100%）。"),
        rate("SY-12", "权利保障友好", SY_WELFARE, "困境儿童应保尽保率", "纳入保障的困境儿童数", "经精准排查认定的困境儿童数",
             D, f"{SY} (三)5.(15) · A13",
             "目标年未载明。选择：2023–2025年每年100%（待确认）。分母取决于排查认定口径。"),
        rate("SY-13", "公共服务友好", SY_PROJECTS, "儿童青少年新发近视率", "当年新发近视的儿童青少年数",
             "上年末未近视的受检儿童青少年数", D, f"{SY} (二)4.(10) · B21",
             "原文“有效控制”，没有数值，无目标（待确认）。建议以2023年为基线、同口径比较逐年下降。", direction="越低越好"),
    ],
    targets=[
        *((("SY-01", y, 2, "市", "不低于", f"{SY} (一)2.(3) · A1（原文“23个”，疑为2-3个，待确认）")) for y in (2023, 2024, 2025)),
        ("SY-02", 2025, 30, "市", "不低于", f"{SY} (二)4.(8) · A2"),
        ("SY-03", 2025, 100, "市", "达到", f"{SY} (二)4.(8) · A3（“社区全覆盖”）"),
        ("SY-04", 2023, 200, "市", "达到", f"{SY} (二)4.(9) · A4"),
        ("SY-04", 2025, 500, "市", "达到", f"{SY} (二)4.(9) · A5（累计，含2023年200户）"),
        ("SY-05", 2023, 50, "市", "达到", f"{SY} (二)4.(10) · A6"),
        *((("SY-06", y, 95, "市", "不低于", f"{SY} (二)4.(10) · A7（“保持在95%以上”）")) for y in (2023, 2024, 2025)),
        ("SY-07", 2025, 100, "市", "达到", f"{SY} (二)4.(11) · A8（2025年底）"),
        ("SY-08", 2025, 100, "市", "达到", f"{SY} (二)4.(11) · A9（2025年底）"),
        *((("SY-09", y, 500, "市", "不低于", f"{SY} (二)4.(12) · A10（年份未载明，按每年暑期，待确认）"))
          for y in (2023, 2024, 2025)),
        ("SY-10", 2025, 100, "市", "达到", f"{SY} (二)4.(13) · A11"),
        ("SY-11", 2025, 100, "市", "达到", f"{SY} (二)4.(13) · A12"),
        *((("SY-12", y, 100, "市", "达到", f"{SY} (三)5.(15) · A13（目标年未载明，按每年，待确认）"))
          for y in (2023, 2024, 2025)),
    ],
    tasks=[
        task("SY-B01", "政策", SY_DESIGN, "编制儿童友好城市规划", D, None, "规划文本及印发文号", f"{SY} (一)1.(1) · B1"),
        task("SY-B02", "政策", SY_DESIGN, "编制儿童发展规划", D, None, "规划文本及印发文号", f"{SY} (一)1.(1) · B2"),
        task("SY-B03", "政策", SY_DESIGN, "把儿童友好城市建设纳入全国文明典范城市三年行动计划和市“十四五”基本公共服务均等化专项规划",
             D, None, "两份文件中的相关条款页", f"{SY} (一)1.(1) · B3"),
        task("SY-B04", "政策", SY_DESIGN, "出台促进托育服务高质量发展的政策", D, None, "政策文件", f"{SY} (一)1.(1) · B4"),
        task("SY-B05", "政策", SY_DESIGN, "出台残疾儿童福利保障政策，完善儿童权利保障体系", D, None, "政策文件",
             f"{SY} (一)1.(1) · B5"),
        task("SY-B06", "政策", SY_DESIGN, "编制社区、学校、医院、公园、图书馆、交通等各领域儿童友好空间建设指引", D, None,
             "各领域指引文本，逐项核销", f"{SY} (一)1.(2) · B6"),
        task("SY-B07", "任务", SY_RESEARCH, "建立儿童友好城市建设研究院", D, None, "成立批复、挂牌材料", f"{SY} (一)2.(3) · B7"),
        task("SY-B08", "任务", SY_RESEARCH, "常态化开展儿童发展状况和需求课题研究", D, None, "立项/结题清单",
             f"{SY} (一)2.(3) · B8", "每年；数量见指标 SY-01。"),
        task("SY-B09", "政策", SY_RESEARCH, "研究制定儿童友好城市建设督导评价体系，并开展督导评价", D, None,
             "评价体系文件、督导报告", f"{SY} (一)2.(4) · B9"),
        task("SY-B10", "任务", SY_RESEARCH, "开展数据采集系统建设需求调研", D, None, "调研报告", f"{SY} (一)2.(4) · B10"),
        task("SY-B11", "政策", SY_RESEARCH, "建立儿童发展统计数据库、儿童发展统计制度和监测预警机制", D, None,
             "数据库上线证明、制度文件", f"{SY} (一)2.(4) · B11"),
        task("SY-B12", "任务", SY_RESEARCH, "开展儿童友好专题培训，把儿童友好内容纳入各级相关部门常规业务培训课程", D, None,
             "培训通知、课程表、签到表", f"{SY} (一)2.(5) · B12"),
        task("SY-B13", "任务", SY_RESEARCH, "每年定期培训儿童工作者等相关人员", D, None, "年度培训场次/人次",
             f"{SY} (一)2.(5) · B13", "“每年定期”，次数未载明；建议每年不少于1次（推断，待确认）。"),
        task("SY-B14", "任务", SY_PARTICIPATE, "把儿童参与纳入政府和部门儿童事务决策，涉及儿童的重大事项听取儿童意见", D, None,
             "征求儿童意见记录（事项清单）", f"{SY} (一)3.(6) · B14"),
        task("SY-B15", "任务", SY_PARTICIPATE, "成立儿童议事会", D, None, "章程、成员名单、会议记录", f"{SY} (一)3.(6) · B15"),
        task("SY-B16", "任务", SY_PARTICIPATE, "建立儿童观察员队伍", D, None, "观察员名册", f"{SY} (一)3.(6) · B16"),
        task("SY-B17", "任务", SY_PARTICIPATE, "面向儿童征集儿童友好城市标志、歌词、绘画等", D, None, "征集公告、入选作品",
             f"{SY} (一)3.(7) · B17"),
        task("SY-B18", "任务", SY_PROJECTS, "规划建设社区婴幼儿照护服务设施，依托社区综合体、国有闲置资产等配置托育园所", D,
             "2025-12-31", "设施清单（社区对应表）", f"{SY} (二)4.(8) · B18", "时限同指标 SY-03（2025年）。"),
        task("SY-B19", "任务", SY_PROJECTS, "鼓励幼儿园开设托班、社会力量办普惠托育、用人单位办福利性托育", D, None,
             "托班/机构备案名录", f"{SY} (二)4.(8) · B19"),
        task("SY-B20", "任务", SY_PROJECTS, "推出民生助力、学习陪伴、健康呵护、公益暖心等儿童关爱服务", D, None,
             "服务记录、受益户数", f"{SY} (二)4.(9) · B20"),
        task("SY-B21", "任务", SY_PROJECTS, "有效控制儿童青少年新发近视率", D, "2025-12-31", "年度近视筛查数据，同口径对比",
             f"{SY} (二)4.(10) · B21", "方向性，没有数值；数据见指标 SY-13。"),
        task("SY-B22", "政策", SY_PROJECTS, "制定出台儿童关爱之家建设三年计划", D, None, "计划文本", f"{SY} (二)4.(11) · B22",
             "时限未载明，推断早于2025年底。"),
        task("SY-B23", "任务", SY_PROJECTS, "儿童关爱之家和未保工作站做到有活动场地、有队伍运营、有经费保障、有服务开展", D,
             "2025-12-31", "逐站点四有核查表", f"{SY} (二)4.(11) · B23"),
        task("SY-B24", "任务", SY_PROJECTS, "暑托班按集中式课程化、分布式活动类、嵌入式行业性三类模式开展", D, None,
             "分类型班级清单", f"{SY} (二)4.(12) · B24", "数量见指标 SY-09。"),
        task("SY-B25", "任务", SY_WELFARE, "建立健全残疾儿童康复救助制度，开展儿童残疾筛查，优先做0–15岁抢救康复", D, None,
             "制度文件、筛查人数", f"{SY} (三)5.(14) · B25、A14",
             "A14“0–15岁”是优先救助的年龄口径，不是目标值，记在这里。"),
        task("SY-B26", "任务", SY_WELFARE, "提升康复机构服务质量和人员培训，推进预防–筛查–诊疗康复一体化，加强定点机构管理", D,
             None, "培训记录、定点机构考核", f"{SY} (三)5.(14) · B26"),
        task("SY-B27", "任务", SY_WELFARE, "鼓励有条件的区县扩大救助年龄范围，鼓励公办机构开展、支持社会力量举办康复机构", D,
             None, "各区县救助年龄政策对照表", f"{SY} (三)5.(14) · B27", "对象是区县。"),
        task("SY-B28", "任务", SY_WELFARE, "用“大数据+网格化”精准排查困境儿童", D, None, "排查台账", f"{SY} (三)5.(15) · B28"),
        task("SY-B29", "任务", SY_WELFARE, "完善报告、应急处置、评估帮扶、监护干预四项机制", D, None, "机制文件",
             f"{SY} (三)5.(15) · B29"),
        task("SY-B30", "任务", SY_WELFARE, "逐步缩小散居孤儿与机构养育孤儿生活保障标准差距，拓宽困境儿童生活补贴发放范围", D, None,
             "两类标准的历年数值", f"{SY} (三)5.(15) · B30", "“逐步”，无时限。"),
        task("SY-B31", "任务", SY_WELFARE, "加强留守儿童关爱保护，开展发展迟缓儿童早期治疗与养育服务", D, None, "服务人数",
             f"{SY} (三)5.(15) · B31"),
        task("SY-B32", "任务", SY_WELFARE, "推动儿童福利机构转型升级、开门办院", D, None, "待补全文", f"{SY} (三)5.(16) · B32",
             "本条在资料中截断，后文缺失，待补录。"),
        task("SY-B33", "成果", SY_GOAL, "建成全国先行示范的儿童友好典范城市", D, "2025-12-31", "国家或省级命名文件",
             f"{SY} 总体目标 · B33"),
    ],
    table_a=[f"A{i}" for i in range(1, 15)],
    table_b=[f"B{i}" for i in range(1, 34)],
)

# ============================================================== 03 西青区
XQ = "西青方案"
XQ_TASKS, XQ_GOALS, XQ_SUPPORT, XQ_ORG = ("第二部分 建设任务", "第一部分 总体目标", "第三部分 主要举措和支持保障",
                                         "第四部分 组织实施")
XIQING = Plan(
    file="西青区.xlsx",
    title="《天津市西青区推进儿童友好城市建设实施方案》监测指标体系（方案模板）",
    about=[
        "依据：西青区发展改革委发布的政策解读（2023-08-31），不是方案全文；方案全文、《试点预期成果清单》和《政策举措清单》的内容均未载于本资料。",
        "本资料没有任何带数值的目标：只有“十四五期间完成适儿化改造”一项有时限的完成类承诺，作为指标列出，目标按100%、2025年解读并标待确认。",
        "方案按两个时间节点提出主要目标，原文乱码“20252023”，推断为2025年和2035年（也可能是2023年和2025年），须对照全文。",
        "规划期：本资料只能推断出2025年一个目标年，看板只接收2025年的数据；要报送更早年份，请在「指标」表填写基线年。",
        "20项重要行动各自的指标和责任部门、两张清单的各项内容，请取得全文后在「指标」「目标」「任务」表补录；任务表中已留“待补录”行。",
        "部门：原文点名区发展改革委（牵头）、区妇儿工委、区住建委和区推进儿童友好城市建设工作领导小组；“等22个部门”的其余名称未载明。未写明责任单位的任务填“待确认（方案未写明）”。",
        "区县：西青区（统计代码120111）的街道、镇本资料未列出，暂以“全区（方案未分街镇）”一个单位报送；分街镇监测时请在「区县」表补充。",
        "社区：方案无社区名册，「社区」表为空。",
        "目标的层级填“市”：在看板里指本级（西青区）自己的目标；“县”级目标是分给下级每个报送单位的。",
    ],
    districts=[("120111", "西青区", "西青", None, "区"),
               ("120111-ALL", "全区（方案未分街镇）", "全区", "120111", "区")],
    departments=[("FGW", "区发展改革委", "发展改革委、区发改委、发改委"), ("FEW", "区妇儿工委", "妇儿工委、区妇儿工委办"),
                 ("ZJW", "区住建委", "住建委"), ("LDXZ", "区推进儿童友好城市建设工作领导小组", "领导小组"), PENDING_DEPT],
    indicators=[
        rate("XQ-01", "成长空间友好", XQ_SUPPORT, "完成适儿化改造的托幼机构、中小学校、健身场所和医院占比",
             "完成适儿化改造的托幼机构、中小学校、健身场所、医院数", "上述机构总数", D, f"{XQ} 三、第三部分 · A1",
             "选择：“完成”按全部机构100%解读，“十四五期间”按2025年底（均为推断，待确认）；另一种做法是按方案分工的"
             "具体数量或比例。改造标准和验收主体未载明。领域归属（成长空间/公共服务）为推断。方案内有分工，牵头单位待确认。"),
    ],
    targets=[
        ("XQ-01", 2025, 100, "市", "达到", f"{XQ} 三、第三部分 · A1（“完成”按100%，“十四五”按2025年底，待确认）"),
    ],
    tasks=[
        task("XQ-B01", "任务", XQ_TASKS, "落实5大领域20项重要行动，并按部门分工推进", "区发展改革委", None,
             "分工表，各行动年度进展报告", f"{XQ} 二、第二部分 · B1", "各分工部门配合，名单未载明。"),
        task("XQ-B02", "成果", XQ_GOALS, "制定并执行《西青区儿童友好城市建设试点预期成果清单》（节点化、清单化预期成效）", D, None,
             "清单文本；逐项核销台账", f"{XQ} 二、特点 · B2", "随方案印发（推断2023-08）；牵头推断为区发展改革委，待确认。"),
        task("XQ-B03", "政策", XQ_GOALS, "制定并落实《政策举措清单》", D, None, "清单中各政策的印发文号", f"{XQ} 二、特点 · B3",
             "随方案印发（推断2023-08）；牵头推断为区发展改革委，待确认。"),
        task("XQ-B04", "任务", XQ_SUPPORT, "政策支持", D, None, "配套政策文件", f"{XQ} 三、第三部分 · B4"),
        task("XQ-B05", "任务", XQ_SUPPORT, "资金保障", D, None, "预算安排、资金拨付凭证", f"{XQ} 三、第三部分 · B5",
             "牵头单位推断为区财政局，待确认。"),
        task("XQ-B06", "任务", XQ_SUPPORT, "人才支撑", D, None, "培训/引进记录", f"{XQ} 三、第三部分 · B6"),
        task("XQ-B07", "任务", XQ_SUPPORT, "活动宣传", D, None, "宣传活动清单", f"{XQ} 三、第三部分 · B7"),
        task("XQ-B08", "成果", XQ_SUPPORT, "打造覆盖就医、消费、教育、娱乐等多领域的儿童友好环境", D, None,
             "各领域儿童友好场所名录", f"{XQ} 三、第三部分 · B8", "时限推断为“十四五”期间，待确认。"),
        task("XQ-B09", "任务", XQ_TASKS, "针对普惠托育机构、儿童医疗、基础教育、文体服务需求全周期部署任务", D, None,
             "分年龄段任务对照表", f"{XQ} 二、特点 · B9"),
        task("XQ-B10", "任务", XQ_ORG, "区推进儿童友好城市建设工作领导小组统筹推进", "区推进儿童友好城市建设工作领导小组", None,
             "成立文件、会议纪要", f"{XQ} 四、第四部分 · B10", "原文称已设立；请以任务进展报“已完成”并附成立文件。"),
        task("XQ-B11", "任务", XQ_ORG, "建立工作联系制度", D, None, "制度文件、联络员名单", f"{XQ} 四、第四部分 · B11",
             "牵头推断为区发展改革委，待确认。"),
        task("XQ-B12", "任务", XQ_ORG, "完善多部门工作协调机制", D, None, "协调会议纪要", f"{XQ} 四、第四部分 · B12",
             "牵头推断为区发展改革委，待确认。"),
        task("XQ-B13", "任务", XQ_ORG, "开展试点示范", D, None, "试点名单", f"{XQ} 四、第四部分 · B13"),
        task("XQ-B14", "任务", XQ_ORG, "开展监测评估", D, None, "年度监测评估报告", f"{XQ} 四、第四部分 · B14"),
        task("XQ-P01", "成果", XQ_GOALS, "待补录：《试点预期成果清单》各项（本资料未载明内容）", D, None, "清单原文",
             f"{XQ} 四、清单", "取得全文后逐条补录为类别“成果”的任务。"),
        task("XQ-P02", "政策", XQ_GOALS, "待补录：《政策举措清单》各项（本资料未载明内容）", D, None, "清单原文",
             f"{XQ} 四、清单", "取得全文后逐条补录为类别“政策”的任务。"),
    ],
    table_a=["A1"],
    table_b=[f"B{i}" for i in range(1, 15)],
)

# ============================================================== 04 德州市
DZ = "德州指导意见"
DZ_COMMUNITY, DZ_MECH, DZ_TRAIN, DZ_PART, DZ_PROMO, DZ_FIVE = (
    "儿童友好社区建设（建设目标）", "一、健全工作机制", "二、加强指导培训", "三、创新活动载体", "四、加大宣传力度",
    "《指导意见》五方面举措")
DEZHOU = Plan(
    file="德州市.xlsx",
    title="《德州市儿童友好社区建设指导意见》监测指标体系（方案模板）",
    about=[
        "依据：鲁网2024-05-10新闻稿对《德州市儿童友好社区建设指导意见》（市妇儿工委办公室、市发展改革委2024年2月联合印发）的转述，不是文件全文。",
        "上位文件《德州市儿童友好城市建设三年行动方案（2023—2025年）》的目标、《指导意见》的14条具体举措均未载于本资料，取得全文后补录。",
        "“30%以上社区开展创建”（2024）和“50%左右的社区开展儿童友好建设”（2025）作为同一指标的两个年度目标（累计占比），见口径说明。",
        "已报告进展（截至2024-05，不是目标）：已择优选取79个社区开展创建；组织百余场公益活动。可作为首次报送的数值。",
        "部门：原文点名市妇联、市妇儿工委办公室、市发展改革委和各县（市、区）；推断的单位只写在口径说明里。",
        "区县：原文只写“各县（市、区）”，未列名称，暂以“全市（方案未列县市区）”一个单位报送；请在「区县」表补充各县（市、区）的名称和代码（可从 data/catalog.xlsx 的「区县」表复制）。",
        "社区：全市社区总数和名册均未给出，「社区」表为空；社区占比按比率报送（分子、分母）。",
    ],
    districts=[("371400", "德州市", "德州", None, "市"),
               ("371400-ALL", "全市（方案未列县市区）", "全市", "371400", "区")],
    departments=[("FEW", "市妇儿工委办公室", "妇儿工委办、市妇儿工委办、妇儿工委办公室"),
                 ("FGW", "市发展改革委", "发改委、市发改委、发展改革委"),
                 ("FL", "市妇联", "妇联"), ("GX", "各县市区", "县市区"), PENDING_DEPT],
    indicators=[
        rate("DZ-01", "成长空间友好", DZ_COMMUNITY, "开展儿童友好社区创建的社区占全市社区比例", "开展儿童友好社区创建的社区数",
             "全市社区总数", "市妇儿工委办公室", f"{DZ} 建设目标 · A1、A3",
             "选择：A1“30%以上社区开展创建”（2024）与A3“50%左右的社区开展儿童友好建设”（2025）视为同一指标的累计占比；"
             "另一种理解是两个口径不同的指标。“以上”含30%本身。“左右”的容差按设置 about_band_points。"
             "分母是否含农村社区、行政村未写明（待确认）；“开展”按入选创建名单计，也可按挂牌或项目落地计（待确认）。"
             "各县（市、区）实施。", co="市发展改革委、各县市区", gap="还需{n}个社区开展创建"),
        count("DZ-02", "成长空间友好", DZ_COMMUNITY, "市级儿童友好社区数", "个", "累计", "市妇儿工委办公室",
              f"{DZ} 建设目标 · A2",
              "按市级认定（命名）的累计数填报；是否包含在79个创建社区之内未写明。", basis="累计数",
              co="市发展改革委、各县市区", gap="还需打造{n}个"),
        rate("DZ-03", "成长空间友好", DZ_COMMUNITY, "建成“15分钟儿童生活圈”的社区占比",
             "儿童15分钟可达室内外活动空间的社区数", "全市社区总数", "市妇儿工委办公室", f"{DZ} 建设目标 · A4",
             "原文只写“打造15分钟儿童生活圈”，没有覆盖比例、测算方法和目标年，无目标（待确认）。“15分钟”按步行计（推断）。",
             co="各县市区"),
    ],
    targets=[
        ("DZ-01", 2024, 30, "市", "不低于", f"{DZ} 建设目标 · A1（“30%以上”）"),
        ("DZ-01", 2025, 50, "市", "左右", f"{DZ} 建设目标 · A3（“50%左右”）"),
        ("DZ-02", 2024, 20, "市", "达到", f"{DZ} 建设目标 · A2（2024年底“打造20个”）"),
    ],
    tasks=[
        task("DZ-B01", "政策", DZ_MECH, "建立德州市儿童友好城市建设联席会议制度，形成党政主导、部门协同、社会参与格局", "市妇联",
             None, "制度文件、成员单位名单、会议纪要", f"{DZ} 新闻稿一 · B1", "新闻稿（2024-05）称已建立。"),
        task("DZ-B02", "政策", DZ_MECH, "编制印发《德州市儿童友好城市建设三年行动方案（2023—2025年）》", "市妇联", None,
             "文件及文号", f"{DZ} 新闻稿一 · B2", "新闻稿称已印发，日期未载明。"),
        task("DZ-B03", "政策", DZ_MECH, "印发《德州市儿童友好社区建设指导意见》", "市妇儿工委办公室", "2024-02-29",
             "文件及文号", f"{DZ} 导语 · B3", "2024年2月已印发。", co="市发展改革委"),
        task("DZ-B04", "任务", DZ_MECH, "制定实施方案、时间表、路线图，分解工作任务", D, None, "任务分解表",
             f"{DZ} 新闻稿一 · B4", "牵头推断为市妇联，待确认。"),
        task("DZ-B05", "任务", DZ_TRAIN, "摸排全部社区情况，鼓励有意愿、基础好的社区先行先试", "各县市区", None,
             "摸排台账（社区总数，可作分母）", f"{DZ} 新闻稿二 · B5", "已开展。"),
        task("DZ-B06", "任务", DZ_TRAIN, "邀请人大代表、政协委员参加专题论证会、路演会，择优选取创建社区", "各县市区", None,
             "论证会纪要、入选社区名单（79个）", f"{DZ} 新闻稿二 · B6", "已开展。"),
        task("DZ-B07", "任务", DZ_TRAIN, "召开儿童友好城市创建工作座谈会", D, None, "会议通知、纪要", f"{DZ} 新闻稿二 · B7",
             "已开展；牵头推断为市妇联，待确认。"),
        task("DZ-B08", "任务", DZ_TRAIN, "组织文旅行业、社会组织、社区等专题业务培训，明确各部门各行业目标任务", D, None,
             "培训通知、签到表", f"{DZ} 新闻稿二 · B8", "已开展。"),
        task("DZ-B09", "任务", DZ_TRAIN, "邀请中国儿童中心领导及省内外专家来德指导", D, None, "指导活动记录",
             f"{DZ} 新闻稿二 · B9", "已开展。"),
        task("DZ-B10", "任务", DZ_PART, "开展“我是德州小主人”“女孩足球节”“两河牵手·亲子畅游”“小小银行家”等活动", D, None,
             "活动场次/参与儿童数", f"{DZ} 新闻稿三 · B10", "持续，时限未载明。"),
        task("DZ-B11", "任务", DZ_PART, "成立“七彩童心”童议团、“椹乐”儿童观察团、“童言善治”观察团，建立健全儿童参与机制", D,
             None, "组织章程、成员名单、参与公共事务记录", f"{DZ} 新闻稿三 · B11", "已成立。"),
        task("DZ-B12", "任务", DZ_PROMO, "制作“一米高度看德州”系列宣传片", D, None, "播出记录", f"{DZ} 新闻稿四 · B12",
             "已开展；牵头推断为市妇联，待确认。"),
        task("DZ-B13", "任务", DZ_PROMO, "开展儿童友好城市建设公益宣传，征集 LOGO", D, None, "征集公告、选定 LOGO",
             f"{DZ} 新闻稿四 · B13", "已开展。"),
        task("DZ-B14", "任务", DZ_PROMO, "在通学公交上增加儿童友好元素", D, None, "车辆/线路清单", f"{DZ} 新闻稿四 · B14",
             "已开展；牵头推断为交通运输部门，待确认。"),
        task("DZ-B15", "任务", DZ_PROMO, "设立社区儿童友好彩绘墙，打造儿童友好空间", D, None, "点位清单、照片",
             f"{DZ} 新闻稿四 · B15", "已开展。"),
        task("DZ-B16", "任务", DZ_PROMO, "组织“童友好·德未来”宣传周和公益活动", D, None, "活动台账", f"{DZ} 新闻稿四 · B16",
             "已报百余场。"),
        task("DZ-B17", "成果", DZ_COMMUNITY, "完善提升儿童室内外活动空间", D, None, "改造项目清单", f"{DZ} 建设目标 · B17",
             "与指标 DZ-03 同句；时限推断为2024年，待确认。"),
        task("DZ-B18", "任务", DZ_FIVE, "完善社区儿童工作制度体系（政策制度友好）", "各县市区", None, "社区儿童工作制度文本",
             f"{DZ} 五方面 · B18"),
        task("DZ-B19", "任务", DZ_FIVE, "优化社区儿童公共服务（公共服务友好）", "各县市区", None, "服务项目清单",
             f"{DZ} 五方面 · B19"),
        task("DZ-B20", "任务", DZ_FIVE, "全面保障儿童在社区的生存、发展、受保护和参与权利（权利保障友好）", "各县市区", None,
             "社区儿童参与记录等", f"{DZ} 五方面 · B20"),
        task("DZ-B21", "任务", DZ_FIVE, "营造有利于儿童健康快乐成长的社区环境（成长空间、发展环境友好）", "各县市区", None,
             "社区环境评估", f"{DZ} 五方面 · B21"),
        task("DZ-B22", "任务", "2024年度民生实事", "实施“品质化托育服务”民生实事项目", D, "2024-12-31", "项目方案及完成情况",
             f"{DZ} 新闻发布会 · B22", "内容未载于本资料；牵头推断为市卫生健康委、市计生协会（发布会出席单位），待确认。"),
        task("DZ-P01", "政策", DZ_MECH, "《德州市“十四五”儿童发展规划》", D, None, "规划文本及文号", f"{DZ} 政策文件",
             "原文提到的已有文件，发文单位和日期未载明。"),
    ],
    table_a=["A1", "A2", "A3", "A4"],
    table_b=[f"B{i}" for i in range(1, 23)],
)

PLANS = [DONGE, THREE_YEAR, XIQING, DEZHOU]


# ------------------------------------------------------------------ writing
_HEAD = PatternFill("solid", fgColor="DDEBF7")


def _sheet(wb, title: str, header, rows) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "A2"


def workbook(plan: Plan) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append([plan.title])
    ws["A1"].font = Font(bold=True, size=14)
    for line in plan.about:
        ws.append([line])
    ws.append([f"本工作簿：指标{len(plan.indicators)}项、目标{len(plan.targets)}条、任务{len(plan.tasks)}项"
               f"（其中成果{sum(t[1] == '成果' for t in plan.tasks)}项、政策{sum(t[1] == '政策' for t in plan.tasks)}项）。"
               "由 scripts/make_plan_catalogs.py 生成；修改后在看板「指标体系」页上传，或运行 python -m ingest catalog 导入。"])
    for row in ws.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 120
    _sheet(wb, "指标", IND, plan.indicators)
    _sheet(wb, "目标", TARGET, plan.targets)
    _sheet(wb, "区县", ("统计代码", "名称", "别名", "上级代码", "类型"), plan.districts)
    _sheet(wb, "部门", ("部门编码", "部门名称", "别名"), plan.departments)
    _sheet(wb, "任务", TASK, plan.tasks)
    _sheet(wb, "社区", ("区县", "街道(乡镇)", "社区名称", "社区代码", "城乡"), [])
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return reproducible(buffer.getvalue())


def reproducible(xlsx: bytes) -> bytes:
    """The same workbook bytes on every run: fixed zip timestamps and document dates."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6]), data,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def coverage(plan: Plan) -> dict:
    """What the catalog holds of the plan summary's tables: for the README's coverage table."""
    sources = " ".join(str(r[17]) for r in plan.indicators) + " " + " ".join(str(t[5]) for t in plan.targets) + \
        " " + " ".join(str(t[8]) for t in plan.tasks)
    refs = set(re.findall(r"[AB]\d+", sources))
    return {
        "plan": plan.file,
        "table_a": len(plan.table_a), "table_a_in_catalog": sum(a in refs for a in plan.table_a),
        "table_b": len(plan.table_b), "table_b_in_catalog": sum(b in refs for b in plan.table_b),
        "indicators": len(plan.indicators), "targets": len(plan.targets),
        "targets_pending": sum(PENDING in t[5] for t in plan.targets),
        "indicators_without_target": len({r[0] for r in plan.indicators} - {t[0] for t in plan.targets}),
        "tasks": len(plan.tasks), "results": sum(t[1] == "成果" for t in plan.tasks),
        "policies": sum(t[1] == "政策" for t in plan.tasks),
        "lead_pending": sum(r[12] == D for r in plan.indicators) + sum(t[4] == D for t in plan.tasks),
        "due_pending": sum(t[6] is None for t in plan.tasks),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for plan in PLANS:
        (args.out / plan.file).write_bytes(workbook(plan))
        print(coverage(plan))


if __name__ == "__main__":
    main()
