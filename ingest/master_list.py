"""The community master list (社区名册) as its own file beside the catalog: a province's or the nation's
list has hundreds of thousands of rows, too many for a catalog sheet (the 1,000,000-cell limit) and for
cell-by-cell checks. It is read whole and checked column by column; a problem names its cell, and at most
PER_RULE cells per rule are listed."""
from __future__ import annotations

import csv
import io
from dataclasses import replace

from warehouse.config import settings

from .gate import check
from .normalise import canon
from .problems import PER_RULE, Problem, more_of, problem
from .workbook import read

COLUMNS = {"district": ("区县", "区县代码", "district"), "street": ("街道(乡镇)", "街道", "乡镇", "street"),
           "name": ("社区名称", "社区", "name"), "code": ("社区代码", "代码", "code"),
           "urban_rural": ("城乡", "城乡类型", "urban_rural")}
TITLES = {"district": "区县", "street": "街道(乡镇)", "name": "社区名称", "code": "社区代码", "urban_rural": "城乡"}
URBAN_RURAL = {"城镇": "城镇", "城市": "城镇", "农村": "农村", "乡村": "农村"}


def _table(data: bytes, file_name: str) -> tuple[list[list[str]] | None, list[Problem]]:
    """Every row's cells as text."""
    limit = settings().max_master_list_bytes
    if len(data) > limit:
        return None, [problem("file_too_large", size_mb=len(data) / 2**20, limit_mb=limit / 2**20)]
    if file_name.lower().endswith(".csv") or not data[:4] == b"PK\x03\x04":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return list(csv.reader(io.StringIO(data.decode(encoding)))), []
            except UnicodeDecodeError:
                continue
        return None, [problem("text_encoding")]
    limits = settings()
    checked = check(data, replace(limits, max_sheet_cells=limits.max_master_list_cells,
                                  max_file_bytes=limits.max_master_list_bytes,
                                  max_uncompressed_bytes=limits.max_master_list_bytes * 10))
    if checked.problems:
        return None, checked.problems
    sheets, problems = read(data, checked)
    if problems or not sheets:
        return None, problems or [problem("file_unreadable")]
    return [["" if v is None else str(v) for v in row] for row in sheets[0].rows], []


def _columns(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and each field's column, found by their titles in the first 10 rows."""
    wanted = {canon(t): field for field, titles in COLUMNS.items() for t in titles}
    for r, row in enumerate(rows[:10]):
        found = {wanted[canon(v)]: c for c, v in enumerate(row) if canon(v) in wanted}
        if len(found) == len(COLUMNS):
            return r, found
    return None


def read_master_list(data: bytes, file_name: str, district_index: dict[str, str]):
    """(rows as tuples (code, district_code, street, name, urban_rural), problems). `district_index` maps
    a canonical district code, name or alias to its code. None instead of rows when anything is wrong.
    Checked column by column: each distinct district name is looked up once."""
    rows, problems = _table(data, file_name)
    if rows is None:
        return None, problems
    found = _columns(rows)
    if found is None:
        return None, [problem("master_list_header", value="、".join(TITLES.values()))]
    header, where = found
    body = [(n, r) for n, r in enumerate(rows[header + 1:], start=header + 2) if any(v.strip() for v in r)]
    numbers = [n for n, _ in body]
    cols = {f: [(r[c].strip() if c < len(r) else "") for _, r in body] for f, c in where.items()}

    def flag(positions: list[int], field: str, rule: str, **kw) -> None:
        for k in positions[:PER_RULE]:
            problems.append(problem(rule, sheet=file_name, cell=f"{_letter(where[field])}{numbers[k]}",
                                    value=cols[field][k], **kw))
        if len(positions) > PER_RULE:
            problems.append(more_of(problems[-1], len(positions) - PER_RULE))

    for field, title in TITLES.items():
        flag([k for k, v in enumerate(cols[field]) if not v], field, "required_field", column=title)
    lookup = {v: district_index.get(canon(v)) for v in set(cols["district"])}
    district = [lookup[v] for v in cols["district"]]
    flag([k for k, (v, d) in enumerate(zip(cols["district"], district)) if v and d is None], "district",
         "unknown_district")
    kind = [URBAN_RURAL.get(v) for v in cols["urban_rural"]]
    flag([k for k, (v, u) in enumerate(zip(cols["urban_rural"], kind)) if v and u is None], "urban_rural",
         "invalid_choice", column="城乡", choices="城镇、农村")
    seen: set[str] = set()
    repeated = []
    for k, code in enumerate(cols["code"]):
        if code in seen:
            repeated.append(k)
        elif code:
            seen.add(code)
    flag(repeated, "code", "master_list_duplicate")
    if problems:
        return None, problems
    return list(zip(cols["code"], district, cols["street"], cols["name"], kind)), []


def _letter(col: int) -> str:
    out, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out
