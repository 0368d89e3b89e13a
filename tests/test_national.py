"""The national data set generator (scripts/make_national_data.py) at a tiny scale: the shape of the
area tree and that every file refers to what the catalog and the master list hold. Its speed is
measured by scripts/bench.py --national, never here."""
from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import python_calamine as pc
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_national_data", ROOT / "scripts" / "make_national_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # its dataclasses look their module up
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("national")
    stats = module.generate(0.005, out, log=lambda *_: None)
    return out, stats


def _rows(path: Path, sheet: str | None = None) -> list[list]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(sheet or wb.sheet_names[0]).to_python()


def _text(v) -> str:
    return str(int(v)) if isinstance(v, float) else str(v)


def test_area_tree(national):
    out, stats = national
    header, *areas = _rows(out / "catalog.xlsx", "区县")
    assert header[:5] == ["统计代码", "名称", "别名", "上级代码", "类型"]
    by_code = {_text(a[0]): (a[1], _text(a[3]) if a[3] != "" else None, a[4]) for a in areas}
    assert len(by_code) == len(areas)
    roots = [c for c, (_, parent, _) in by_code.items() if parent is None]
    assert roots == ["100000"] and by_code["100000"][2] == "国家"
    kind_of_parent = {"省": "国家", "市": "省", "区": "市", "县": "市"}
    for code, (_, parent, kind) in by_code.items():
        if parent:
            assert by_code[parent][2] == kind_of_parent[kind], code
    kinds = Counter(kind for _, _, kind in by_code.values())
    assert kinds["省"] == 31 and kinds["市"] >= 31 and kinds["区"] + kinds["县"] == stats["counties"] >= 31
    names = [name for name, _, _ in by_code.values()]
    assert len(set(names)) == len(names)   # files name counties by name too
    for code, (_, parent, kind) in by_code.items():
        if kind in ("区", "县"):
            assert len(code) == 6 and code[:4] == parent[:4]
    assert _rows(out / "catalog.xlsx", "社区") == [["区县", "街道(乡镇)", "社区名称", "社区代码", "城乡"]]
    codes = [r[0] for r in _rows(out / "catalog.xlsx", "指标")[1:]]
    assert len(codes) == 43


def test_catalog_is_accepted(national):
    from ingest.catalog import read_catalog
    out, stats = national
    listed = ((out / "communities.csv").read_bytes(), "communities.csv")
    catalog, problems = read_catalog((out / "catalog.xlsx").read_bytes(), "catalog.xlsx", listed)
    assert catalog is not None, [p.message for p in problems[:5]]
    assert len(catalog.indicators) == 43 and len(catalog.communities) == stats["communities"]
    assert len(catalog.districts) == stats["areas"] and catalog.city.code == "100000"


def test_files_refer_to_the_tree(national):
    out, stats = national
    counties = {_text(a[0]) for a in _rows(out / "catalog.xlsx", "区县")[1:] if a[4] in ("区", "县")}
    with (out / "communities.csv").open(encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    assert len(units) == stats["communities"] and {u["区县"] for u in units} == counties
    assert len({u["社区代码"] for u in units}) == len(units)
    assert all(len(u["社区代码"]) == 12 and u["社区代码"].startswith(u["区县"]) and u["城乡"] in ("城镇", "农村")
               for u in units)
    assert len({(u["区县"], u["社区名称"]) for u in units}) == len(units)

    kinds = {r[0]: r[4] for r in _rows(out / "catalog.xlsx", "指标")[1:]}
    with (out / "manifest.csv").open(encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))
    assert sorted(m["file"] for m in manifest) == sorted(
        p.relative_to(out).as_posix() for p in out.glob("*/*.xlsx"))
    assert [m["received_at"] for m in manifest] == sorted(m["received_at"] for m in manifest)
    rows = 0
    for path in sorted((out / "submissions").glob("*.xlsx")):
        header, *body = _rows(path)
        assert header == ["指标编码", "区县", "年度", "分子", "分母", "数值"]
        for code, county, year, num, den, value in body:
            assert county in counties and 2019 <= year <= 2026 and kinds[code] != "台账"
            if kinds[code] == "比率":
                assert float(num).is_integer() and 0 <= num <= den and value == ""
            elif kinds[code] == "是否":
                assert value in ("是", "否")
            else:
                assert float(value).is_integer() and 0 <= value <= 1_000_000
        rows += len(body)
    assert rows == stats["long_rows"] == 42 * len(counties) * 8

    codes = {u["社区代码"]: u for u in units}
    for path in sorted((out / "registers").glob("*.xlsx"))[:10]:
        period, header, *body = _rows(path)
        assert period[:2] == ["统计期", path.name[:4]]
        assert header == ["区县", "街道(乡镇)", "社区名称", "社区代码", "是否开展创建"]
        for county, street, name, code, flag in body:
            unit = codes[code]
            assert (unit["区县"], unit["街道(乡镇)"], unit["社区名称"]) == (county, street, name)
            assert flag in ("是", "否")
