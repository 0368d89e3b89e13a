"""The bulk checks (plain rows found over whole columns) say exactly what the cell-by-cell check says: the
same observations, register entries, 合计 and 分组 rows, problems and periods, on sheets mixing plain rows
with bad, hidden, repeated, 合计 and 分组 rows."""
from __future__ import annotations

import random

import pytest

from conftest import xlsx
from ingest import validate
from ingest.pipeline import examine

DISTRICTS = ["371402", "德城区", "371403", "陵城区", "371422", "宁津县", "371423", "371424", "371425", "371426",
             "371427", "371428", "371481", "乐陵市", "371482"]


def _cell_by_cell(self, block, over_budget) -> bool:
    """The reference: every row of a long-format sheet through `record`."""
    for k in range(len(block)):
        record = block.record(k)
        self.record(record)
        if over_budget(record):
            return True
    return False


def _units_cell_by_cell(self, block, ex) -> None:
    """The reference: every entry of a register sheet through `unit`."""
    for k in range(len(block)):
        self.unit(block.unit(k), ex)


def _outcome(data: bytes, catalog, department: str, name: str) -> dict:
    v, _, shape = examine(data, name, catalog, department=department)
    return {"shape": shape, "observations": [dict(o) for o in v.observations], "units": [dict(u) for u in v.units],
            "totals": [dict(t) for t in v.totals], "parts": [dict(p) for p in v.parts],
            "problems": [(p.rule, p.severity, p.sheet, p.cell, p.value, p.message) for p in v.problems],
            "periods": v.periods, "claimed": sorted(v.claimed_periods), "rows": v.rows}


def _both(data: bytes, catalog, monkeypatch, department="卫健委", name="t.xlsx") -> tuple[dict, dict]:
    bulk = _outcome(data, catalog, department, name)
    with monkeypatch.context() as m:
        m.setattr(validate._RecordChecker, "long_block", _cell_by_cell)
        m.setattr(validate._RecordChecker, "units", _units_cell_by_cell)
        reference = _outcome(data, catalog, department, name)
    return bulk, reference


def _long_row(rng: random.Random) -> list:
    """One row of a long-format sheet: mostly plain, else wrong or odd in one of many ways."""
    code = rng.choice(["PS-01", "PS-03", "PS-04", "PS-09", "PS-12", "SP-03", "PS-02"])
    kind = {"PS-12": "count", "SP-03": "yesno"}.get(code, "rate")
    den = rng.randint(1, 2000)
    row = [code, rng.choice(DISTRICTS), rng.randint(2022, 2030),
           rng.randint(0, den // 20) if kind == "rate" else "", den if kind == "rate" else "",
           {"count": rng.randint(0, 50), "yesno": rng.choice(["是", "否", "有", "无"]), "rate": ""}[kind], "",
           rng.choice(["", "", "备注 ", 12.0])]
    if rng.random() < 0.4:
        field, odd = rng.choice([
            (0, ["XX-99", "ps-01", "", "GS-01", "PS-08"]), (1, ["合计", "371400", "德州市", "不存在区", ""]),
            (2, ["2025年", 2025.0, 2019, "二〇二五", "", "2025-Q3", "2025-13"]),
            (3, ["12", "abc", -3, "", 5000, True, 3.5, 10 ** 6]), (4, [0, "", "1,000", 60_000_000, -1, 0.5]),
            (5, ["", 3.5, "是", "x", 2_000_000, -1, 7]), (6, ["男", "女", "其他"])])
        row[field] = rng.choice(odd)
    return row


@pytest.mark.parametrize("seed", range(6))
def test_long_format_bulk_matches_cell_by_cell(catalog, monkeypatch, seed):
    rng = random.Random(seed)
    rows = [["指标编码", "区县", "年度", "分子", "分母", "数值", "性别", "备注"]]
    for _ in range(300):
        rows.append(_long_row(rng))
        if rng.random() < 0.1:
            rows.append(list(rows[-1]))             # a repeat, plain or not
        if rng.random() < 0.05:
            rows.append([""] * 8)                   # a blank row
    hidden = rng.sample(range(2, len(rows)), 10)
    bulk, reference = _both(xlsx(rows, hidden_rows=hidden), catalog, monkeypatch)
    assert bulk == reference
    assert bulk["observations"] and bulk["problems"]


@pytest.mark.parametrize("seed", range(3))
def test_csv_bulk_matches_cell_by_cell(catalog, monkeypatch, seed):
    """A CSV holds text only: numbers typed as text ("1,000", "95%", " 12 ") are read as the cell-by-cell
    check reads them."""
    rng = random.Random(seed)
    rows = [["指标编码", "区县", "年度", "分子", "分母", "数值", "性别", "备注"]]
    rows += [_long_row(rng) for _ in range(300)]
    rows += [["PS-01", "371402", "2026", " 12 ", "1,000", "", "", ""], ["PS-12", "371403", "2026", "", "", "7.0", "", ""],
             ["PS-01", "371403", "2026", "95%", "200", "", "", ""], ["PS-01", "371481", "2026", "1e400", "10", "", "", ""]]
    text = "\n".join(",".join(f'"{v}"' if "," in str(v) else str(v) for v in row) for row in rows) + "\n"
    bulk, reference = _both(text.encode("utf-8"), catalog, monkeypatch, name="t.csv")
    assert bulk == reference
    assert len(bulk["observations"]) > 100 and bulk["problems"]


def test_long_format_plain_sheet_with_totals_and_parts(catalog, monkeypatch):
    """A clean file: plain rows, a 合计 row that checks, 分组 rows that add up, a second sheet repeating
    one key of the first."""
    rows = [["指标编码", "区县", "统计期", "分子", "分母", "数值", "性别"],
            ["PS-08", "371402", "2025-Q3", 90, 100, "", ""], ["PS-08", "371402", "2025-Q3", 40, 50, "", "男"],
            ["PS-08", "371402", "2025-Q3", 50, 50, "", "女"], ["PS-08", "371403", "2025-Q3", 10, 20, "", ""],
            ["PS-08", "合计", "2025-Q3", 100, 120, "", ""], ["PS-12", "371402", 2025, "", "", 7, ""],
            ["PS-12", "371403", 2025, "", "", 8, ""], ["", "合计", 2025, "", "", 15, ""]]
    more = [["指标编码", "区县", "统计期", "分子", "分母"], ["PS-08", "371403", "2025-Q3", 11, 20],
            ["PS-08", "371422", "2025-Q3", 5, 10]]
    bulk, reference = _both(xlsx(rows, extra={"第二张": more}), catalog, monkeypatch)
    assert bulk == reference
    assert bulk["totals"] and bulk["parts"] and len(bulk["observations"]) == 5
    assert [p[:4] for p in bulk["problems"] if p[0] == "duplicate_row"] == [("duplicate_row", "error", "第二张", "B2")]


def test_error_budget_stops_at_the_same_row(catalog, monkeypatch):
    """A sheet with more errors than the budget: the same rows taken, the same problems and the same periods
    named before it stops (2030 only on plain rows before the stop, 2029 only on plain rows after it)."""
    rng = random.Random(7)
    codes = ["PS-01", "PS-03", "PS-06", "PS-07", "PS-09"]
    keys = [(c, d, y) for c in codes for d in DISTRICTS if d.isdigit() for y in (2030, 2025, 2024, 2023, 2022)]
    rng.shuffle(keys)
    rows = [["指标编码", "区县", "年度", "分子", "分母"]]
    for k in range(1100):
        rows.append(["PS-01", rng.choice(DISTRICTS), 2026, "错", 100])
        if k % 5 == 0:
            rows.append([*keys.pop(), rng.randint(0, 90), 100])
    rows += [["PS-01", d, 2029, 5, 100] for d in DISTRICTS[:5]]
    bulk, reference = _both(xlsx(rows), catalog, monkeypatch)
    assert bulk == reference
    assert any(p[0] == "too_many_errors" for p in bulk["problems"])
    assert "2030" in bulk["claimed"] and "2029" not in bulk["claimed"]


def test_register_bulk_matches_cell_by_cell(catalog, monkeypatch):
    rng = random.Random(3)
    units = [u for u in catalog.communities.values() if u.district_code in ("371402", "371403")][:60]
    rows = [["统计期", "2025"], ["区县", "街道(乡镇)", "社区名称", "社区代码", "是否开展创建", "创建时间", "评定等级"]]
    for u in units + rng.sample(units, 10):         # ten repeats
        district = rng.choice([u.district_code, u.district_code, "371481", "不存在区"])
        code = rng.choice([u.code, u.code, u.code, "", "999999999999", f" {u.code} "])
        flag = rng.choice(["是", "否", "是", "否", "也许", "", True])
        started = rng.choice(["", "2024-05-01", "2024年5月1日", "去年", 45000.0])
        rows.append([district, u.street, u.name, code, flag, started, rng.choice(["", "一级", " 二级 "])])
    rows.append(["合计", "", "", "", "", "", ""])
    hidden = rng.sample(range(3, len(rows)), 5)
    bulk, reference = _both(xlsx(rows, sheet="台账", hidden_rows=hidden), catalog, monkeypatch, department="妇联")
    assert bulk == reference
    assert bulk["units"] and bulk["problems"]
