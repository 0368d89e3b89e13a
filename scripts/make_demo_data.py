"""Generate the demo submissions in data/demo/ (synthetic numbers, fixed seed).

    python scripts/make_demo_data.py

Reads data/catalog.xlsx, fills department templates made by the real
template builder, and writes a manifest of when each file arrived. The
output is committed, so the demo needs no generation step; rerunning this
script reproduces it.

The story the data tells: 德城区 and 齐河县 run ahead, 运河经济开发区 and
庆云县 behind; 住建局 reports 2025 late; 公安局 has not reported 2026-Q3;
卫生健康委 resubmits 2025 to correct a value; 教育局's first 2025 file has
errors and is rejected, then a corrected one arrives; history before 2025
for quarterly and monthly indicators comes in one long-format bulk file.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))   # scripts/: the shared workbook stamp
from reproducible import FIXED_TIME, reproducible  # noqa: E402

from ingest.catalog import Catalog, read_catalog  # noqa: E402
from ingest.template import DATA_SHEET, FIRST_DATA_ROW, PARTS_SHEET, build_template, template_indicators  # noqa: E402

OUT = ROOT / "data" / "demo"
SEED = 371400

# How far ahead (+) or behind (-) each district runs.
PACE = {"371402": 0.9, "371425": 0.7, "371481": 0.4, "371482": 0.3, "371424": 0.2, "371426": 0.1,
        "371403": 0.0, "371427": -0.1, "371428": -0.2, "371422": -0.3, "371471": 0.2,
        "371423": -0.7, "371472": -0.9}
# Typical size of each rate's denominator in one district for one year.
DENOMINATOR = {"PS-01": 9000, "PS-02": 1600, "PS-04": 450000, "PS-06": 60000, "PS-07": 55000,
               "PS-08": 42000, "PS-09": 14000, "PS-10": 4200, "PS-11": 4200, "RP-01": 260,
               "RP-03": 180, "RP-07": 120, "GS-04": 14, "GS-07": 3, "DE-05": 90, "DE-06": 40}
# Denominators that are counts of units in the master list.
UNIT_DENOMINATOR = {"PS-03": "urban", "RP-04": "all", "RP-05": "all", "DE-04": "all",
                    "RP-02": "streets", "GS-08": "streets", "DE-02": "streets"}
YEARS = (2023, 2024, 2025)


class Story:
    def __init__(self, catalog: Catalog):
        self.c = catalog
        self.rng = random.Random(SEED)
        self.districts = [d for d in catalog.districts.values() if d.parent_code]
        self.size = {d.code: self.rng.uniform(0.6, 1.5) for d in self.districts}
        self.size["371472"] = 0.35
        self.size["371471"] = 0.5
        self.units = {d.code: [u for u in catalog.communities.values() if u.district_code == d.code]
                      for d in self.districts}
        self.den_cache: dict[tuple, int] = {}

    def target(self, code: str, year: int) -> float | None:
        ts = sorted((t.year, t.value) for t in self.c.targets if t.indicator_code == code and t.level == "市")
        later = [v for y, v in ts if y >= year]
        return later[0] if later else (ts[-1][1] if ts else None)

    def progress(self, code: str, district: str, t: float) -> float:
        """Where a district stands at fractional year t, as a share of the way from baseline to 2025's target."""
        i = self.c.indicators[code]
        base = i.baseline_year or 2022
        share = (t - base) / (2025 - base)
        return share * (1 + 0.25 * PACE[district]) + self.rng.gauss(0, 0.03)

    def rate_value(self, code: str, district: str, t: float) -> float:
        i = self.c.indicators[code]
        goal = self.target(code, 2025) or i.baseline_value
        value = i.baseline_value + (goal - i.baseline_value) * self.progress(code, district, t)
        cap = min(i.upper_bound or i.scale, i.scale)
        return max(0.0, min(value, cap * (0.999 if i.direction == "higher" else 1)))

    def denominator(self, code: str, district: str, year: int) -> int:
        key = (code, district, year)
        if key not in self.den_cache:
            kind = UNIT_DENOMINATOR.get(code)
            units = self.units[district]
            if kind == "urban":
                den = sum(u.urban_rural == "城镇" for u in units)
            elif kind == "all":
                den = len(units)
            elif kind == "streets":
                den = len({u.street for u in units})
            else:
                den = round(DENOMINATOR[code] * self.size[district] * (1 + 0.02 * (year - 2023)))
            self.den_cache[key] = max(den, 1)
        return self.den_cache[key]

    def rate(self, code: str, district: str, year: int, fraction: float = 1.0,
             cumulative: bool = False) -> tuple[int, int]:
        """(numerator, denominator) at `fraction` of the year; a cumulative
        (monthly) figure's denominator grows through the year."""
        i = self.c.indicators[code]
        den = max(1, round(self.denominator(code, district, year) * (fraction if cumulative else 1)))
        value = self.rate_value(code, district, year - 1 + fraction)
        if i.direction == "lower":  # behind means higher here
            value *= 1 - 0.08 * PACE[district]
        num = min(round(den * value / i.scale), den if (i.upper_bound or i.scale) <= i.scale else 10**9)
        return num, den

    def count(self, code: str, district: str, year: int) -> int:
        """The figure a department writes for the year, in the indicator's 填报口径."""
        i = self.c.indicators[code]
        weight = self.size[district] / sum(self.size.values())
        goal = self.target(code, 2025) or i.baseline_value * 1.5
        if i.accumulation == "annual":
            return max(0, round(goal * weight * (0.85 + 0.1 * (year - 2023) + 0.15 * PACE[district])
                                + self.rng.gauss(0, 1)))
        running = lambda y: max(0, round(  # noqa: E731
            weight * (i.baseline_value + (goal - i.baseline_value) * (y - 2022) / 3 * (1 + 0.2 * PACE[district]))))
        if i.reporting_basis == "running_total":
            return running(year)
        return max(0, running(year) - running(year - 1))

    def yesno(self, code: str, district: str, year: int) -> str:
        return "是" if year - 2022 >= 2.4 - 1.6 * PACE[district] else "否"

    def register(self, district: str, year: int) -> list[str]:
        """GS-01: 是/否 per community; once started, a community stays started."""
        share = {2023: 0.16, 2024: 0.33, 2025: 0.47, 2026: 0.58}[year] * (1 + 0.45 * PACE[district])
        units = self.units[district]
        # rural villages tend to start later (the 城乡 gap the dashboard shows); the count per district is the same
        order = sorted(range(len(units)), key=lambda k: (k * 7919 + int(district)) % 101
                       + (15 if units[k].urban_rural == "农村" else 0))
        started = set(order[:round(len(units) * max(0.0, min(share, 1.0)))])
        return ["是" if k in started else "否" for k in range(len(units))]


def fill(story: Story, dept: str, period: str, received: dt.date, edit=None) -> bytes:
    """A filled template for one department and period."""
    c = story.c
    wb = load_workbook(io.BytesIO(build_template(c, dept, period)))
    year = int(period[:4])
    fraction = 1.0  # share of the year a cumulative figure covers
    if "Q" in period:
        fraction = int(period[-1]) / 4
    elif len(period) == 7:
        fraction = int(period[5:]) / 12
    monthly = len(period) == 7 and "Q" not in period
    department = c.departments[dept]
    for ws in wb.worksheets:
        if ws.title == "_meta":
            continue
        ws["H2"] = received.isoformat()
        ws["B3"] = department.contact
        ws["E3"] = department.phone
    if DATA_SHEET in wb.sheetnames:
        ws = wb[DATA_SHEET]
        meta = [r for r in wb["_meta"].iter_rows(min_row=7, values_only=True) if r[0] == "value"]
        totals: dict[str, float] = {}
        rates: dict[str, dict[str, tuple]] = {}
        for offset, d in enumerate(story.districts):
            row = FIRST_DATA_ROW + offset
            cache: dict[str, tuple] = {}
            rates[d.name] = cache
            for _, _, col, code, field in meta:
                i = c.indicators[code]
                if i.kind == "rate":
                    cache.setdefault(code, story.rate(code, d.code, year, fraction, monthly))
                    value = cache[code][0 if field == "numerator" else 1]
                elif i.kind == "yesno":
                    value = story.yesno(code, d.code, year)
                else:
                    value = story.count(code, d.code, year)
                    if i.accumulation == "annual":
                        value = round(value * fraction)
                ws[f"{col}{row}"] = value
                if not isinstance(value, str):
                    totals[col] = totals.get(col, 0) + value
        total_row = FIRST_DATA_ROW + len(story.districts)
        for col, value in totals.items():
            ws[f"{col}{total_row}"] = value
        if PARTS_SHEET in wb.sheetnames:
            fill_parts(wb[PARTS_SHEET], story, rates)
    for name in wb.sheetnames:
        if name.startswith("台账-"):
            ws = wb[name]
            row = 6
            for d in story.districts:
                for flag in story.register(d.code, year):
                    ws[f"E{row}"] = flag
                    if flag == "是":
                        ws[f"G{row}"] = "市级" if (row % 9 == 0) else "未评定"
                    row += 1
    if edit:
        edit(wb)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Girls' share of the children counted, and each district's rural share: fixed, so the parts add up
# to the totals already written and the generator's random draws stay as they were.
GIRLS = 0.48
RURAL_GAP = 0.05   # a rural child is this much less likely to be covered (a visible gap on the dashboard)


def split_rate(num: int, den: int, share: float, gap: float) -> tuple[tuple[int, int], tuple[int, int]]:
    """(first part, second part) of num/den: the second holds `share` of den, its rate `gap` below the first."""
    den2 = round(den * share)
    den1 = den - den2
    rate1 = min(1.0, (num + gap * den2) / den) if den else 0.0
    num1 = min(den1, max(num - den2, round(rate1 * den1)))
    return (num1, den1), (num - num1, den2)


def fill_parts(ws, story: Story, rates: dict[str, dict[str, tuple]]) -> None:
    """分组填报: 性别 and 城乡 parts of each rate, adding up to the district's total on 填报表."""
    rural = {d.name: 0.35 + 0.3 * (k % 5) / 4 for k, d in enumerate(story.districts)}
    for row in range(6, ws.max_row + 1):
        code, district, sex, urban = (ws.cell(row, c).value for c in (1, 2, 3, 5))
        if code is None or code not in rates.get(district, {}):
            continue
        num, den = rates[district][code]
        if sex:
            boys, girls = split_rate(num, den, GIRLS, 0.0)
            ws.cell(row, 6).value, ws.cell(row, 7).value = boys if sex == "男" else girls
        elif urban:
            town, village = split_rate(num, den, rural[district], RURAL_GAP)
            ws.cell(row, 6).value, ws.cell(row, 7).value = town if urban == "城镇" else village


def received_for(story: Story, period: str, late_days: int = 0) -> dt.datetime:
    year = int(period[:4])
    if len(period) == 4:
        base = dt.date(year + 1, 1, 12)
    elif "Q" in period:
        q = int(period[-1])
        base = dt.date(year + (q == 4), (q * 3) % 12 + 1, 4)
    else:
        m = int(period[5:])
        base = dt.date(year + (m == 12), m % 12 + 1, 3)
    day = base + dt.timedelta(days=story.rng.randint(0, 6) + late_days)
    return dt.datetime.combine(day, dt.time(9 + story.rng.randint(0, 7), story.rng.randint(0, 59)))


def periods(freq: str) -> list[str]:
    if freq == "year":
        return [str(y) for y in YEARS]
    if freq == "quarter":
        return [f"{y}-Q{q}" for y in (2025, 2026) for q in range(1, 5) if (y, q) <= (2026, 3)]
    return [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 10)]


def history_file(story: Story) -> bytes:
    """卫生健康委's bulk load of earlier years, in long format under a merged title."""
    c = story.c
    wb = Workbook()
    ws = wb.active
    ws.title = "历史数据"
    ws["A1"] = "卫生健康委 儿童健康指标历史数据（2023—2024年，年度汇总）"
    ws.merge_cells("A1:G1")
    ws["A2"] = "填报单位：市卫健委"
    ws.append(["指标 编码", "区县", "年度", "分子", "分母", "备注"])
    codes = [i.code for i in c.indicators_of("WJW") if i.frequency != "year" and i.kind == "rate"]
    for year in (2023, 2024):
        for code in codes:
            for d in story.districts:
                num, den = story.rate(code, d.code, year)
                ws.append([code, d.aliases[0] if d.aliases else d.name, f"{year}年", num, f"{den:,}", None])
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def history_csv(story: Story) -> bytes:
    """The coordinating office's bulk load of 民政局's and 公安局's quarterly history
    2023–2024 as annual figures: CSV in GBK."""
    lines = [["指标编码", "区县", "年度", "分子", "分母", "备注"]]
    for code in ("RP-01", "DE-06"):
        for year in (2023, 2024):
            for d in story.districts:
                num, den = story.rate(code, d.code, year)
                lines.append([code, d.name, year, num, den, ""])
    text = io.StringIO()
    csv.writer(text).writerows(lines)
    return text.getvalue().encode("gbk")


def main() -> None:
    catalog, problems = read_catalog((ROOT / "data" / "catalog.xlsx").read_bytes())
    if catalog is None:
        raise SystemExit("\n".join(p.message for p in problems))
    story = Story(catalog)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        if old.suffix in (".xlsx", ".csv"):
            old.unlink()
    manifest: list[dict] = []

    def emit(name: str, data: bytes, received: dt.datetime, department: str = "", by: str = ""):
        (OUT / name).write_bytes(reproducible(data) if name.endswith(".xlsx") else data)
        manifest.append({"file": name, "department": department, "received_at": received.isoformat(),
                         "received_by": by or "妇儿工委办"})

    emit("卫生健康委_历史数据_2023-2024.xlsx", history_file(story), dt.datetime(2025, 3, 20, 10, 30))
    emit("民政局公安局_历史数据_2023-2024.csv", history_csv(story), dt.datetime(2025, 3, 21, 15, 0), department="妇儿工委办")

    for dept in sorted(catalog.departments):
        freqs = sorted({i.frequency for i in catalog.indicators_of(dept)})
        for freq in freqs:
            for period in periods(freq):
                if not template_indicators(catalog, dept, period):
                    continue
                late = 0
                if dept == "ZJJ" and period == "2025":
                    late = 62
                if dept == "GAJ" and period == "2026-Q3":
                    continue  # not reported: shows as missing
                received = received_for(story, period, late)
                name = f"{catalog.departments[dept].name}_{period}.xlsx"
                if (dept, period) in FIRST_ATTEMPT:
                    # The first attempt is the good file with a planted mistake, so the
                    # later file differs from it only where the story says.
                    edit, gap = FIRST_ATTEMPT[(dept, period)]
                    good = fill(story, dept, period, (received + gap).date())
                    suffix = "_有错误" if dept == "JYJ" else ""
                    emit(f"{catalog.departments[dept].name}_{period}{suffix}.xlsx",
                         derive(good, edit, received.date()), received)
                    received += gap
                    name = name if suffix else f"{catalog.departments[dept].name}_{period}_更正.xlsx"
                    emit(name, good, received)
                    continue
                emit(name, fill(story, dept, period, received.date()), received)
    for dept, when, updates in TASK_REPORTS:
        emit(f"{dept}_任务进展_{when:%Y-%m-%d}.xlsx", task_file(dept, when, updates), when)
    manifest.sort(key=lambda m: m["received_at"])
    with (OUT / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["file", "department", "received_at", "received_by"])
        writer.writeheader()
        writer.writerows(manifest)
    print(f"{len(manifest)} files in {OUT}")


def derive(data: bytes, edit, received: dt.date) -> bytes:
    """A copy of a filled template with `edit` applied and another 报送日期."""
    wb = load_workbook(io.BytesIO(data))
    edit(wb)
    for ws in wb.worksheets:
        if ws.title != "_meta":
            ws["H2"] = received.isoformat()
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column(wb, code: str, field: str) -> str:
    """The template column holding an indicator's field, from the _meta sheet."""
    for kind, _, col, c, f in wb["_meta"].iter_rows(min_row=7, max_col=5, values_only=True):
        if kind == "value" and c == code and f == field:
            return col
    raise KeyError((code, field))


def _break_file(wb) -> None:
    """Typical mistakes: text in a number cell, numerator above denominator, an unknown district, a wrong total."""
    ws = wb[DATA_SHEET]
    total_row = FIRST_DATA_ROW + 13
    ws[f"{_column(wb, 'PS-01', 'numerator')}7"] = "约九成"
    num, den = _column(wb, "PS-06", "numerator"), _column(wb, "PS-06", "denominator")
    ws[f"{num}9"] = ws[f"{den}9"].value + 500
    ws["A12"] = None
    ws["B12"] = "德州新区"
    count = _column(wb, "PS-05", "value")
    ws[f"{count}{total_row}"] = (ws[f"{count}{total_row}"].value or 0) + 10


def _under_report(wb) -> None:
    """The first 2025 file under-reports 德城区's PS-03 numerator by 6; the 更正 file corrects it."""
    ws = wb[DATA_SHEET]
    col = _column(wb, "PS-03", "numerator")
    ws[f"{col}7"] = ws[f"{col}7"].value - 6
    ws[f"{col}{FIRST_DATA_ROW + 13}"] = ws[f"{col}{FIRST_DATA_ROW + 13}"].value - 6


# Departments' reports on the plan's tasks: (department, received, [(task, state, evidence, note)]).
TASK_REPORTS = [
    ("妇联", dt.datetime(2025, 1, 6, 10, 0), [("T-06", "已完成", "德妇字〔2024〕35号", "标准已印发")]),
    ("团市委", dt.datetime(2025, 4, 2, 15, 30), [("T-02", "已完成", "首次儿童议事会照片", "3月28日召开首次会议")]),
    ("卫生健康委", dt.datetime(2025, 7, 5, 9, 20), [("T-01", "已完成", "德卫发〔2025〕21号", None)]),
    ("住建局", dt.datetime(2025, 10, 8, 11, 0), [("T-05", "推进中", None, "导则送审稿已完成，待专家评审")]),
    ("妇联", dt.datetime(2025, 11, 3, 16, 0), [("T-11", "推进中", None, "征求意见中")]),
    ("自然资源和规划局", dt.datetime(2026, 1, 10, 9, 0), [("T-03", "推进中", None, "规划初稿已完成")]),
    ("民政局", dt.datetime(2026, 10, 5, 10, 0), [("T-09", "推进中", "项目清单（36个）", "已覆盖36个乡镇街道")]),
    ("团市委", dt.datetime(2026, 10, 6, 14, 0), [("T-10", "推进中", "基地名单", "已建成41个")]),
]


def task_file(department: str, received: dt.datetime, updates: list[tuple]) -> bytes:
    """A department's 任务进展 report: one row per task."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务进展"
    ws.append(["填报单位", department, "报送日期", received.date().isoformat()])
    ws.append(["任务编码", "状态", "更新日期", "佐证材料", "备注"])
    for code, state, evidence, note in updates:
        ws.append([code, state, (received - dt.timedelta(days=2)).date().isoformat(), evidence, note])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# (department, period) → (mistake in the first file, time until the good file arrives)
FIRST_ATTEMPT = {("JYJ", "2025"): (_break_file, dt.timedelta(days=3, hours=2)),
                 ("WJW", "2025"): (_under_report, dt.timedelta(days=9))}


if __name__ == "__main__":
    main()
