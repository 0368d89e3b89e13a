"""Generate a synthetic national data set (全国 → 省 → 市 → 区县 → 社区) for the benchmark.

    python scripts/make_national_data.py [--scale 1] [--out /tmp/cfc-national-1]

Fixed seed, deterministic: the same scale gives byte-identical files. Never committed (data/national/
is in .gitignore). At --scale 1 it writes, under OUT:

- catalog.xlsx: the 指标, 目标, 部门, 任务 sheets of data/catalog.xlsx (same 43 indicators; 基线年 moved to
  2018 so that 2019's figures are inside the plan's years; targets split to the demo city's districts
  dropped), a 区县 sheet that is an area tree by 上级代码 — 全国, 31 provinces, about 337 cities, about
  2,850 counties — and a 社区 sheet with its header only;
- communities.csv: the master list (about 600,000 communities, 区县 given by the county's code);
- submissions/: one long-format workbook per lead department × year (2019–2026), every non-register
  indicator of the department × every county (about 957,600 rows in 96 files);
- registers/: one 台账 workbook per province × year for each register indicator (about 4.8 M rows);
- manifest.csv: file, department, received_at (ISO), in the order the files arrive.

Workbooks are written as plain SpreadsheetML by a small writer below (shared strings, as Excel saves
them): openpyxl takes most of an hour for 30 M cells, this takes minutes.
"""
from __future__ import annotations

import argparse
import csv
import functools
import datetime as dt
import io
import random
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.catalog import Catalog, read_catalog  # noqa: E402
from ingest.gate import col_letters  # noqa: E402

SEED = 100000
YEARS = tuple(range(2019, 2027))
BASELINE_YEAR = 2018
DEFAULT_OUT = Path("/tmp") / "cfc-national"
ZIP_TIME = (2026, 11, 1, 0, 0, 0)

# Province: code, name, prefecture-level cities, county-level units (roughly the real numbers).
PROVINCES = [
    ("110000", "北京市", 1, 16), ("120000", "天津市", 1, 16), ("130000", "河北省", 11, 167),
    ("140000", "山西省", 11, 117), ("150000", "内蒙古自治区", 12, 103), ("210000", "辽宁省", 14, 100),
    ("220000", "吉林省", 9, 60), ("230000", "黑龙江省", 13, 121), ("310000", "上海市", 1, 16),
    ("320000", "江苏省", 13, 95), ("330000", "浙江省", 11, 90), ("340000", "安徽省", 16, 104),
    ("350000", "福建省", 9, 84), ("360000", "江西省", 11, 100), ("370000", "山东省", 16, 136),
    ("410000", "河南省", 17, 157), ("420000", "湖北省", 13, 103), ("430000", "湖南省", 14, 122),
    ("440000", "广东省", 21, 122), ("450000", "广西壮族自治区", 14, 111), ("460000", "海南省", 4, 25),
    ("500000", "重庆市", 1, 38), ("510000", "四川省", 21, 183), ("520000", "贵州省", 9, 88),
    ("530000", "云南省", 16, 129), ("540000", "西藏自治区", 7, 74), ("610000", "陕西省", 10, 107),
    ("620000", "甘肃省", 14, 86), ("630000", "青海省", 8, 44), ("640000", "宁夏回族自治区", 5, 22),
    ("650000", "新疆维吾尔自治区", 14, 114),
]
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
# Place-name characters: two of them make a name's stem.
STEM_CHARS = ("安平阳山河江宁昌城州德兴丰泰和清新永乐华林南北东西长高宝康庆金云武文嘉定盛临湖海石泉光明春元顺"
              "通广福龙凤溪桥源岭峰川远青白黄崇隆吉祥瑞荣台沙田水松柏桃李梅竹兰芳鹤翠玉银铜铁")
COMMUNITY_CHARS = "幸福阳光和谐翠园锦绣春晖紫荆百合朝阳胜利建设文化书香康宁瑞祥兴隆富民嘉禾明珠御景"
# Typical size of each rate's denominator in one county for one year (as in make_demo_data.py).
DENOMINATOR = {"PS-01": 9000, "PS-02": 1600, "PS-04": 450000, "PS-06": 60000, "PS-07": 55000,
               "PS-08": 42000, "PS-09": 14000, "PS-10": 4200, "PS-11": 4200, "RP-01": 260,
               "RP-03": 180, "RP-07": 120, "GS-04": 14, "GS-07": 3, "DE-05": 90, "DE-06": 40}
# Denominators that are counts of units in the master list.
UNIT_DENOMINATOR = {"PS-03": "urban", "RP-04": "all", "RP-05": "all", "DE-04": "all",
                    "RP-02": "streets", "GS-08": "streets", "DE-02": "streets"}
LONG_HEADER = ["指标编码", "区县", "年度", "分子", "分母", "数值"]
REGISTER_HEADER = ["区县", "街道(乡镇)", "社区名称", "社区代码", "是否开展创建"]
COMMUNITY_HEADER = ["区县", "街道(乡镇)", "社区名称", "社区代码", "城乡"]
MAX_CELLS = 1_000_000


# ------------------------------------------------------------------ a small xlsx writer
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '{sheets}'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
           '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def xlsx_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    """A workbook of plain values: str (shared strings), int or float; None or "" leaves the cell out."""
    strings: dict[str, int] = {}
    parts = []
    letters = [col_letters(c) for c in range(1, 64)]
    for _, rows in sheets:
        out = []
        width = max((len(r) for r in rows), default=1)
        out.append(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
                   f'<dimension ref="A1:{letters[max(width, 1) - 1]}{max(len(rows), 1)}"/><sheetData>')
        for r, row in enumerate(rows, 1):
            cells = []
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    k = strings.get(v)
                    if k is None:
                        k = strings[v] = len(strings)
                    cells.append(f'<c r="{letters[c]}{r}" t="s"><v>{k}</v></c>')
                else:
                    cells.append(f'<c r="{letters[c]}{r}"><v>{v!r}</v></c>')
            out.append(f'<row r="{r}">{"".join(cells)}</row>')
        out.append("</sheetData></worksheet>")
        parts.append("".join(out))
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" '
                f'xmlns:r="{_REL}"><sheets>'
                + "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                          for n, (name, _) in enumerate(sheets, 1))
                + "</sheets></workbook>")
    n = len(sheets)
    rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                      for k in range(1, n + 1))
            + f'<Relationship Id="rId{n + 1}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            + f'<Relationship Id="rId{n + 2}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
    members = [
        ("[Content_Types].xml", _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=k)
                                                                      for k in range(1, n + 1)))),
        ("_rels/.rels", _ROOT_RELS), ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels),
        ("xl/styles.xml", _STYLES),
        ("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
                                 f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>'),
        *((f"xl/worksheets/sheet{k}.xml", body) for k, body in enumerate(parts, 1)),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members:
            z.writestr(zipfile.ZipInfo(name, ZIP_TIME), body.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED,
                       compresslevel=6)
    return buffer.getvalue()


# ------------------------------------------------------------------ the area tree
@dataclass
class County:
    code: str
    name: str
    kind: str          # 区 | 县
    city: str          # city code
    province: str      # province code
    size: float        # relative population
    pace: float        # ahead (+) or behind (-), -1 … 1
    streets: list      # [(street name, urban?, [(community name, code, start draw), …]), …]

    @property
    def communities(self) -> int:
        return sum(len(s[2]) for s in self.streets)


class Nation:
    """The tree and the master list at a scale."""

    def __init__(self, scale: float):
        rng = random.Random(f"{SEED}-tree")
        chars = list(dict.fromkeys(STEM_CHARS))
        taken = {name[:2] for _, name, _, _ in PROVINCES}   # no 山东市 beside 山东省
        stems = [a + b for a in chars for b in chars if a != b and a + b not in taken]
        rng.shuffle(stems)
        stems = iter(stems)
        chars = list(dict.fromkeys(COMMUNITY_CHARS))
        places = [a + b for a in chars for b in chars if a != b]
        self.areas: list[tuple] = [("100000", "全国", None, "国家")]   # code, name, parent, kind
        self.counties: list[County] = []
        for pcode, pname, n_cities, n_counties in PROVINCES:
            self.areas.append((pcode, pname, "100000", "省"))
            counties = max(1, round(n_counties * scale))
            cities = max(1, min(counties, round(n_cities * scale)))
            # each city at least one county, the rest spread at random
            per_city = [1] * cities
            for _ in range(counties - cities):
                per_city[rng.randrange(cities)] += 1
            for c in range(cities):
                ccode = f"{pcode[:2]}{c + 1:02d}00"
                self.areas.append((ccode, next(stems) + "市", pcode, "市"))
                urban_n = per_city[c] if pcode in MUNICIPALITIES else max(1, round(per_city[c] * rng.uniform(0.2, 0.5)))
                for k in range(per_city[c]):
                    kind = "区" if k < urban_n else "县"
                    number = 2 + k if kind == "区" else 21 + k - urban_n
                    code = f"{ccode[:4]}{number:02d}"
                    name = next(stems) + kind
                    self.areas.append((code, name, ccode, kind))
                    self.counties.append(self._county(rng, places, code, name, kind, ccode, pcode))

    @staticmethod
    def _county(rng, places, code, name, kind, ccode, pcode) -> County:
        n_streets = rng.randint(8, 20)
        urban_share = rng.uniform(0.65, 0.95) if kind == "区" else rng.uniform(0.1, 0.35)
        n_units = [rng.randint(8, 22) for _ in range(n_streets)]
        names = rng.sample(places, sum(n_units) + n_streets)
        street_names, unit_names = names[:n_streets], iter(names[n_streets:])
        streets = []
        for s, (stem, n) in enumerate(zip(street_names, n_units), 1):
            urban = s <= round(n_streets * urban_share)
            suffix = "街道" if urban else ("镇" if s % 4 else "乡")
            # (name, code, when it starts 儿童友好社区创建: a share of the years ahead)
            units = [(next(unit_names) + ("社区" if urban else "村"), f"{code}{s:03d}{u:03d}", rng.random())
                     for u in range(1, n + 1)]
            streets.append((stem + suffix, urban, units))
        return County(code, name, kind, ccode, pcode, rng.lognormvariate(0, 0.45), rng.uniform(-1, 1), streets)


# ------------------------------------------------------------------ figures
class Figures:
    """Each county's figures, from its size and pace and the indicator's baseline and 2025 target."""

    def __init__(self, catalog: Catalog, nation: Nation):
        self.c = catalog
        self.n_counties = len(nation.counties)

    @functools.lru_cache(maxsize=None)
    def target(self, code: str) -> float | None:
        ts = sorted((t.year, t.value) for t in self.c.targets if t.indicator_code == code and t.level == "市")
        later = [v for y, v in ts if y >= 2025]
        return later[0] if later else (ts[-1][1] if ts else None)

    def share(self, county: County, year: int) -> float:
        """How far along from the baseline to the 2025 target, at the end of `year`."""
        return (year - BASELINE_YEAR) / (2025 - BASELINE_YEAR) * (1 + 0.3 * county.pace)

    def row(self, rng: random.Random, code: str, county: County, year: int) -> list:
        i = self.c.indicators[code]
        if i.kind == "rate":
            num, den = self.rate(rng, i, county, year)
            return [code, county.code, year, num, den, None]
        if i.kind == "yesno":
            started = BASELINE_YEAR + 4 - 3 * county.pace   # the year its 议事会/规划 is in place
            return [code, county.code, year, None, None, "是" if year >= started else "否"]
        return [code, county.code, year, None, None, self.count(rng, i, county, year)]

    def rate(self, rng, i, county: County, year: int) -> tuple[int, int]:
        kind = UNIT_DENOMINATOR.get(i.code)
        if kind == "urban":
            den = sum(len(s[2]) for s in county.streets if s[1])
        elif kind == "all":
            den = county.communities
        elif kind == "streets":
            den = len(county.streets)
        else:
            den = round(DENOMINATOR[i.code] * county.size * (1 + 0.015 * (year - BASELINE_YEAR)))
        den = max(den, 1)
        goal = self.target(i.code) or i.baseline_value
        value = (i.baseline_value + (goal - i.baseline_value) * self.share(county, year)) * (1 + rng.gauss(0, 0.02))
        cap = min(i.upper_bound or i.scale, i.scale)
        value = max(0.0, min(value, cap))
        return min(den, round(den * value / i.scale)), den

    def count(self, rng, i, county: County, year: int) -> int:
        base = i.baseline_value or 0
        goal = self.target(i.code) or base * 1.5
        per_county = lambda v: v * county.size / 13   # noqa: E731  (the catalog's figures are a city's)
        if i.accumulation == "annual":
            return max(0, round(per_county(goal) * (0.7 + 0.05 * (year - BASELINE_YEAR) + 0.1 * county.pace)
                                + rng.gauss(0, 0.5)))
        running = lambda y: max(0, round(per_county(base + (goal - base) * self.share(county, y))))  # noqa: E731
        if i.reporting_basis == "running_total":
            return running(year)
        return max(0, running(year) - running(year - 1))


def register_flag(county: County, draw: float, urban: bool, year: int) -> str:
    """GS-01: once a community starts, it stays started; villages start later."""
    start = BASELINE_YEAR + 1 + draw * 14 - 3 * county.pace + (0 if urban else 2)
    return "是" if year >= start else "否"


# ------------------------------------------------------------------ writing
def national_catalog(source: bytes, nation: Nation) -> bytes:
    """The catalog workbook: the plan's sheets copied, the tree as 区县, 社区 left to communities.csv."""
    import python_calamine as pc
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(source))

    def sheet(name):
        return [list(r) for r in wb.get_sheet_by_name(name).to_python()]

    def cleaned(rows):
        return [[None if v == "" else (int(v) if isinstance(v, float) and v.is_integer() else v) for v in r]
                for r in rows]

    indicators = cleaned(sheet("指标"))
    year_col = indicators[0].index("基线年")
    for r in indicators[1:]:
        if r[year_col] is not None:
            r[year_col] = BASELINE_YEAR
    targets = cleaned(sheet("目标"))
    district_col = targets[0].index("区县")
    targets = [targets[0]] + [r for r in targets[1:] if r[district_col] is None]
    sheets = [("说明", [["全国儿童友好城市建设监测（合成数据，仅供性能测试）"],
                        ["区县：全国—省—市—区县四级，按上级代码成树；社区名册见 communities.csv。"],
                        [f"指标、目标、部门、任务取自 data/catalog.xlsx；基线年统一为 {BASELINE_YEAR} 年，分解到区县的目标未保留。"]]),
              ("指标", indicators), ("目标", targets),
              ("区县", [["统计代码", "名称", "别名", "上级代码", "类型"]]
               + [[code, name, None, parent, kind] for code, name, parent, kind in nation.areas]),
              ("部门", cleaned(sheet("部门")))]
    if "任务" in wb.sheet_names:
        sheets.append(("任务", cleaned(sheet("任务"))))
    sheets.append(("社区", [COMMUNITY_HEADER]))
    return xlsx_bytes(sheets)


def communities_csv(nation: Nation) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COMMUNITY_HEADER)
    for county in nation.counties:
        for street, urban, units in county.streets:
            kind = "城镇" if urban else "农村"
            for name, code, _ in units:
                w.writerow([county.code, street, name, code, kind])
    return out.getvalue().encode("utf-8")


def arrival(year: int, rank: int, minute_of: int) -> dt.datetime:
    """Files for `year` arrive from 10 January of the next year, a few a day."""
    start = dt.datetime(year + 1, 1, 10, 9, 0)
    return start + dt.timedelta(days=rank // 4, hours=2 * (rank % 4), minutes=minute_of % 60)


def generate(scale: float, out: Path, log=print) -> dict:
    began = time.perf_counter()
    source = (ROOT / "data" / "catalog.xlsx").read_bytes()
    catalog, problems = read_catalog(source)
    assert catalog is not None, problems
    nation = Nation(scale)
    figures = Figures(catalog, nation)
    out.mkdir(parents=True, exist_ok=True)
    (out / "submissions").mkdir(exist_ok=True)
    (out / "registers").mkdir(exist_ok=True)
    stats = {"counties": len(nation.counties), "areas": len(nation.areas),
             "communities": sum(c.communities for c in nation.counties)}

    (out / "catalog.xlsx").write_bytes(national_catalog(source, nation))
    (out / "communities.csv").write_bytes(communities_csv(nation))
    log(f"catalog.xlsx: {stats['areas']:,} areas ({stats['counties']:,} counties); "
        f"communities.csv: {stats['communities']:,} communities  [{time.perf_counter() - began:.1f} s]")

    manifest: list[tuple[dt.datetime, str, str]] = []
    departments = sorted({i.lead_department for i in catalog.indicators.values() if i.kind != "register"},
                         key=lambda d: list(catalog.departments).index(d))
    rows_written = files = 0
    for year in YEARS:
        for rank, dept in enumerate(departments):
            codes = [i.code for i in catalog.indicators_of(dept) if i.kind != "register"]
            rng = random.Random(f"{SEED}-{dept}-{year}")
            rows = [LONG_HEADER] + [figures.row(rng, code, county, year)
                                    for code in codes for county in nation.counties]
            name = catalog.departments[dept].name
            file = f"submissions/{year}_{name}.xlsx"
            (out / file).write_bytes(xlsx_bytes([("数据", rows)]))
            manifest.append((arrival(year, (rank * 5 + year) % len(departments), rank * 7), file, name))
            rows_written += len(rows) - 1
            files += 1
    stats.update(long_rows=rows_written, long_files=files)
    log(f"submissions/: {files} files, {rows_written:,} rows  [{time.perf_counter() - began:.1f} s]")

    registers = [i for i in catalog.indicators.values() if i.kind == "register"]
    rows_written = files = 0
    by_province: dict[str, list[County]] = {}
    for county in nation.counties:
        by_province.setdefault(county.province, []).append(county)
    names = {code: name for code, name, _, _ in nation.areas}
    for indicator in registers:
        dept = catalog.departments[indicator.lead_department].name
        for year in YEARS:
            for rank, (pcode, counties) in enumerate(by_province.items()):
                rows = [["统计期", str(year)], REGISTER_HEADER]
                for county in counties:
                    for street, urban, units in county.streets:
                        for name, code, draw in units:
                            rows.append([county.code, street, name, code, register_flag(county, draw, urban, year)])
                # one file per province; a province too big for one sheet's cell limit is split in parts
                per_file = MAX_CELLS // len(REGISTER_HEADER) - 10
                body = rows[2:]
                chunks = [body[k:k + per_file] for k in range(0, len(body), per_file)] or [[]]
                for part, chunk in enumerate(chunks, 1):
                    suffix = f"_{part}" if len(chunks) > 1 else ""
                    file = f"registers/{year}_{dept}_{indicator.code}_{names[pcode]}{suffix}.xlsx"
                    (out / file).write_bytes(xlsx_bytes([("台账", rows[:2] + chunk)]))
                    manifest.append((arrival(year, len(departments) + rank // 3, rank), file, dept))
                    rows_written += len(chunk)
                    files += 1
    stats.update(register_rows=rows_written, register_files=files)
    log(f"registers/: {files} files, {rows_written:,} rows  [{time.perf_counter() - began:.1f} s]")

    manifest.sort()
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "department", "received_at"])
        for when, file, dept in manifest:
            w.writerow([file, dept, when.isoformat()])
    stats["bytes"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    stats["seconds"] = time.perf_counter() - began
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成全国规模的合成数据（性能测试用，不提交）")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 约 2,850 个区县、60 万个社区")
    parser.add_argument("--out", type=Path, default=None, help=f"输出目录（默认 {DEFAULT_OUT}-<scale>）")
    args = parser.parse_args(argv)
    out = args.out or Path(f"{DEFAULT_OUT}-{args.scale:g}")
    stats = generate(args.scale, out)
    sizes = {d: sum(p.stat().st_size for p in (out / d).glob("*")) for d in ("submissions", "registers")}
    print(f"wrote {out}: {stats['counties']:,} counties, {stats['communities']:,} communities; "
          f"{stats['long_files']} long-format files ({stats['long_rows']:,} rows, {sizes['submissions'] / 2**20:,.1f} MB), "
          f"{stats['register_files']} register files ({stats['register_rows']:,} rows, "
          f"{sizes['registers'] / 2**20:,.1f} MB); {stats['bytes'] / 2**20:,.1f} MB in all; "
          f"{stats['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
