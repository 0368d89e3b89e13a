"""The warehouse connection, held once per process, and metrics results cached per data version.

Every metrics call below goes through one cache keyed on (data version, function, arguments), so
a load — which bumps the version — makes every page recompute; nothing is cached by accident.
"""
from __future__ import annotations

import inspect
from typing import Callable

import duckdb
import pandas as pd
import streamlit as st

from warehouse import config
from ingest.catalog import Catalog, read_catalog
from warehouse.db import WarehouseUnusable, connect_or_explain, data_version, limit_memory
from ingest import inbox
from ingest.backup import daily as daily_backup, noted as noted_backups, record_noted as record_noted_backups
from ingest.demo import ensure_demo, is_demo
from ingest import approval, plans
from ingest.evidence import task_departments as evidence_task_departments
from ui.review import approval_effect as approval_effect_of, review
from metrics import board, breakdown, inventory, lineage, meeting, progress, quality, tasks, values
from ui import format as fmt, strings as S
from warehouse import audit
from warehouse.access import CATALOG, Actor, department_names as _department_names, require
from accounts import list_accounts


@st.cache_resource(show_spinner=False)
def connection():
    """Open the configured warehouse; on first start with none (or an outdated demo one), build the demo."""
    db = config.default_db_path()
    try:
        with st.spinner(S.BUILDING_DEMO):
            ensure_demo(db)
        limit_memory(config.settings().dashboard_memory_mb)
        con = connect_or_explain(db)
    except WarehouseUnusable as e:  # not cached: the next rerun tries again
        st.error(str(e), icon=":material/block:")
        st.stop()
    if not is_demo(con):  # the demo can be rebuilt from data/; a real office's warehouse is copied daily
        daily_backup(con, db)
    return con


def cursor():
    """A cursor of the shared connection: DuckDB connections are not shared across threads."""
    return connection().cursor()


def version() -> int:
    return data_version(cursor())


def demo_in_use() -> bool:
    return is_demo(cursor())


_FUNCTIONS: dict[str, Callable] = {}


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(data_version_: int, name: str, args: tuple):
    # data_version_ is part of the key (Streamlit does not hash arguments named with a leading underscore)
    return _FUNCTIONS[name](cursor(), *args)


def _versioned(name: str, fn: Callable) -> Callable:
    """`fn(con, *args)` as a page calls it: `fn(*args)`, cached until the data version changes. The key holds
    every argument, defaults filled in: progress_table() and progress_table(None, None) are one entry (a
    national table computed once, not once per way of asking)."""
    _FUNCTIONS[name] = fn
    signature = inspect.signature(fn)

    def call(*args, **kwargs):
        bound = signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        return _cached(version(), name, tuple(bound.arguments.values())[1:])
    return call


def _place_table(con, as_of=None, place=None):
    """The progress table of a place (an area with areas under it) and its children: the place's rows read
    as "the city" on every page (is_city), its children as the districts. None: the root."""
    table = progress.progress_table(con, None, as_of, "all", area=place or values.city_code(con) or None)
    return table if place is None else table.assign(is_city=table["district_code"] == place)


progress_table = _versioned("progress_table", _place_table)
year_choices = _versioned("year_choices", progress.year_choices)


def has_figures(as_of=None) -> bool:
    """Does the warehouse hold any figure (as of `as_of`)? A new office's catalog-only warehouse does not."""
    return bool(year_choices(as_of)[0])


submission_board = _versioned("submission_board", board.submission_board)
indicator_meta = _versioned("indicator_meta", values.indicator_meta)
districts = _versioned("districts", values.districts)
places = _versioned("places", values.places)
area_names = _versioned("area_names", values.area_names)
targets = _versioned("targets", progress.targets)
departments = _versioned("departments", inventory.departments)
figure_lineage = _versioned("figure_lineage", lineage.lineage)


def _lineage_shown(con, code: str, district_code: str, year: int, as_of=None) -> pd.DataFrame:
    """A figure's source rows as 指标详情 shows them, cells formatted: a province's figure has 20,000 of them,
    formatted once per data version, not on every click of the page."""
    trail = lineage.lineage(con, code, district_code, year, as_of)
    return fmt.cells(trail.drop(columns=["indicator", "submission_id", "district_code"], errors="ignore"))


figure_lineage_shown = _versioned("figure_lineage_shown", _lineage_shown)
quality_report = _versioned("quality_report", quality.quality_report)
submission_log = _versioned("submission_log", inventory.submission_log)
indicator_catalog = _versioned("indicator_catalog", inventory.indicator_catalog)
task_catalog = _versioned("task_catalog", inventory.task_catalog)
meetings = _versioned("meetings", meeting.meetings)
meeting_pack = _versioned("meeting_pack", meeting.meeting_pack)
action_item_history = _versioned("action_item_history", meeting.action_item_history)
breakdown_values = _versioned("breakdown_values", breakdown.breakdown_values)
part_choices = _versioned("part_choices", breakdown.part_choices)
submission_history = _versioned("submission_history", inventory.submission_history)
def catalog() -> Catalog:
    """The catalog in force, shared, not copied per call: a province's has 600,000 communities, which
    st.cache_data would unpickle on every rerun of the upload page. Read once per catalog version."""
    return Catalog.current(connection())   # the shared connection: the master list, if asked, is read through it
task_status = _versioned("task_status", tasks.task_status)
returned_submissions = _versioned("returned_submissions", inventory.returned_submissions)
department_names = _versioned("department_names", _department_names)
AWAITING_COLUMNS = ["id", "file_name", "department", "periods", "received_at", "received_by", "n_rows"]


def awaiting_approval(department_code: str | None = None) -> pd.DataFrame:
    """Files received and waiting for a 管理员's 通过 (issue 13's approval workflow), of one department or all.

    In personal mode (approval off) nothing waits: every accepted file counts at once."""
    waiting = _pending()
    if department_code is not None:
        waiting = waiting[waiting["department_code"] == department_code]
    return waiting.reset_index(drop=True)


_pending = _versioned("pending", approval.pending)


def approval_on() -> bool:
    """Do files wait for a 管理员's approval? Not cached: the first account switches it on without a new
    data version."""
    return approval.approval_required(cursor())


returned_by_office = _versioned("returned_by_office", approval.returned)
approval_effect = _versioned("approval_effect", approval_effect_of)


def accounts_table() -> pd.DataFrame:
    """Every account without its password hash; not cached (a login changes it without a new data version)."""
    return list_accounts(cursor())


def audit_rows(since=None, until=None, actor: str | None = None, action: str | None = None) -> pd.DataFrame:
    """The audit trail, newest first; not cached (logins add rows without a new data version)."""
    return audit.audit_rows(cursor(), since, until, actor, action)
task_history = _versioned("task_history", tasks.task_history)
evidence_pieces = _versioned("evidence_pieces", tasks.evidence_pieces)
task_departments = _versioned("task_departments", evidence_task_departments)
# An uploaded file is checked and its effect staged once per (bytes, department, data version), not
# again on every rerun while the user reads the report.
review_file = _versioned("review_file", review)
# what 指标体系 asks on every rerun, asked once per data version
plan_refusal = _versioned("plan_refusal", plans.refusal)
_catalog_workbook = _versioned("catalog_workbook", plans.catalog_workbook)


@st.cache_data(show_spinner=False, max_entries=2)
def read_catalog_file(raw: bytes, name: str, master_list: tuple[bytes, str] | None):
    """A catalog workbook (and its own master list) checked once per upload, not on every rerun."""
    return read_catalog(raw, name, master_list)


def held_targets(year: int | None, as_of=None):
    return progress.held_targets(progress_table(as_of), year)


def load_inbox() -> None:
    """Files queued by the command line while this dashboard held the warehouse: loaded now, through
    the same checks as an upload (each outcome is listed on the upload page); backups it took meanwhile are
    recorded."""
    db = config.default_db_path()
    if inbox.waiting(db):
        inbox.drain(cursor(), db)
    if noted_backups(db):   # backups the command line copied meanwhile: their audit rows, written here
        record_noted_backups(cursor(), db)


def inbox_outcomes() -> list[dict]:
    return inbox.loaded(config.default_db_path())


def explain_failure(error: Exception) -> None:
    """A page that failed: what happened and what to do, in Chinese; the cause goes to the log."""
    import logging

    from warehouse.db import explain
    logging.getLogger("cfc").exception("page failed")
    explained = explain(error, config.default_db_path()) if isinstance(error, duckdb.Error) else None
    st.error(str(explained) if explained else S.PAGE_FAILED, icon=":material/block:")


def counts() -> dict[str, int]:
    return inventory.warehouse_counts(cursor())


@st.cache_data(show_spinner=False)
def _templates(stamp: tuple):  # keyed on the files' names and times
    from ingest.plans import plan_templates as templates
    return templates()


def plan_templates():
    """The plan templates, read once per set of files (not on every rerun of 指标体系)."""
    from ingest.plans import PLANS_DIR
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(PLANS_DIR.glob("*.xlsx")))
    return _templates(stamp)


def start_from_plan(path, actor: Actor) -> None:
    """Replace the catalog (or the demo) by a plan's: the shared connection is closed first, since the demo's
    file is replaced, and every cached figure is dropped. Raises ingest.plans.PlanRefused, or NotAllowed
    (before anything is closed) for a role that may not change the catalog."""
    from ingest.plans import PlanRefused, start_from_plan as start
    require(actor, CATALOG)
    why = plans.refusal(cursor())
    if why:
        raise PlanRefused(why)
    connection().close()
    connection.clear()
    st.cache_data.clear()
    start(config.default_db_path(), path, actor=actor)


def catalog_workbook() -> tuple[str, bytes]:
    """The workbook of the catalog in force, as loaded; data/catalog.xlsx when the archive does not hold it."""
    return _catalog_workbook() or (config.CATALOG_PATH.name, config.CATALOG_PATH.read_bytes())
