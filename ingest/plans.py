"""Starting a warehouse from a plan's catalog (data/plans/*.xlsx, built by scripts/make_plan_catalogs.py).

The rule: a warehouse that holds no submissions takes the chosen plan's catalog as its catalog; the demo
is replaced by a fresh empty warehouse holding it (the demo can always be rebuilt: python -m ingest demo);
a warehouse with real submissions is never touched — its office uploads a new catalog instead.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
from openpyxl import load_workbook

from warehouse import config
from warehouse.access import CATALOG, Actor, personal_actor, require
from warehouse.db import connect, first_row, warehouse_archive

from .catalog import Catalog, load_catalog, read_catalog
from .demo import is_demo, remove_warehouse

PLANS_DIR = config.DATA_DIR / "plans"


@dataclass(frozen=True)
class PlanTemplate:
    path: Path
    title: str                 # the first line of its 说明 sheet
    about: tuple[str, ...]     # the other lines


class PlanRefused(Exception):
    """The plan cannot be started here; the message says why and what to do instead, in Chinese."""


def plan_templates(folder: Path = PLANS_DIR) -> list[PlanTemplate]:
    """The plan catalogs offered as templates, by file name, each with its 说明."""
    found = []
    for path in sorted(folder.glob("*.xlsx")):
        try:
            wb = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
            lines = [str(r[0]).strip() for r in wb["说明"].iter_rows(max_col=1, values_only=True)
                     if r and r[0] is not None and str(r[0]).strip()] if "说明" in wb.sheetnames else []
            wb.close()
        except Exception:  # an unreadable file is still listed; choosing it gives read_catalog's message
            lines = []
        found.append(PlanTemplate(path, lines[0] if lines else path.stem, tuple(lines[1:])))
    return found


def refusal(con: duckdb.DuckDBPyConnection) -> str | None:
    """Why a plan cannot be started on this warehouse (None when it can): it holds real submissions."""
    if is_demo(con):
        return None
    n = first_row(con, "SELECT count(*) FROM submission")[0]
    if n:
        return (f"当前数据库已收到 {n} 份报送文件，不能用方案模板新建，以免丢失数据。"
                "如要改用这个方案的指标，请下载模板工作簿，在下方「上传新的指标体系」中上传"
                "（已收到的数据都会保留）。")
    return None


def start_from_plan(db_path: Path | str, plan_path: Path, *, actor: Actor | None = None) -> Catalog:
    """Make the plan's catalog the warehouse's catalog (see the module's rule), as `actor` (personal mode: a
    管理员). Raises PlanRefused, or NotAllowed for a role that may not change the catalog (nothing changed)."""
    actor = actor or personal_actor()
    require(actor, CATALOG)
    db_path = Path(db_path)
    data = plan_path.read_bytes()
    catalog, problems = read_catalog(data, plan_path.name)
    if catalog is None:
        raise PlanRefused(f"方案模板 {plan_path.name} 有错误，未导入："
                          + "；".join(f"{p.sheet or ''}{p.cell or ''} {p.message}".strip() for p in problems[:3]))
    if db_path.exists():
        con = connect(db_path)
        try:
            why, demo = refusal(con), is_demo(con)
        finally:
            con.close()
        if why:
            raise PlanRefused(why)
        if demo:  # a fresh warehouse: nothing of the demo (files, meetings, journal) stays
            remove_warehouse(db_path)
    con = connect(db_path)
    try:
        load_catalog(con, catalog, data, plan_path.name, actor=actor)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return catalog


def catalog_workbook(con: duckdb.DuckDBPyConnection) -> tuple[str, bytes] | None:
    """The workbook of the catalog in force (kept in the archive when it was loaded), for download."""
    row = first_row(con, "SELECT sha256, file_name FROM catalog_load ORDER BY id DESC LIMIT 1")
    archive = warehouse_archive(con)
    if not row or archive is None:
        return None
    kept = archive / "catalog" / f"{row[0]}.xlsx"
    return (row[1], kept.read_bytes()) if kept.exists() else None
