"""The warehouse connection, held once per process, and metrics results cached per data version.

Every cached call takes the warehouse's data version as its first argument (named without a
leading underscore: Streamlit does not hash underscored arguments), so a load (which
bumps the version) makes every page recompute; nothing is cached by accident.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ingest import config
from ingest.db import connect, data_version
from ingest.demo import ensure_demo, is_demo
from metrics import board, inventory, lineage, meeting, progress, quality, values
from ui import strings as S


@st.cache_resource(show_spinner=False)
def connection():
    """Open the configured warehouse; on first start with none (or an outdated demo one), build the demo."""
    db = config.default_db_path()
    with st.spinner(S.BUILDING_DEMO):
        ensure_demo(db)
    return connect(db)


def cursor():
    """A cursor of the shared connection: DuckDB connections are not shared across threads."""
    return connection().cursor()


def version() -> int:
    return data_version(cursor())


def demo_in_use() -> bool:
    return is_demo(cursor())


@st.cache_data(show_spinner=False, max_entries=64)
def _progress(data_version_: int, as_of: dt.datetime | None) -> pd.DataFrame:
    return progress.progress_table(cursor(), None, as_of, "all")


def progress_table(as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Every indicator × district (and city) × year with status; cached per data version and as-of."""
    return _progress(version(), as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def _board(data_version_: int, as_of: dt.datetime | None) -> pd.DataFrame:
    return board.submission_board(cursor(), as_of)


def submission_board(as_of: dt.datetime | None = None) -> pd.DataFrame:
    return _board(version(), as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def _meta(data_version_: int) -> pd.DataFrame:
    return values.indicator_meta(cursor())


def indicator_meta() -> pd.DataFrame:
    return _meta(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _districts(data_version_: int) -> pd.DataFrame:
    return values.districts(cursor())


def districts() -> pd.DataFrame:
    return _districts(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _targets(data_version_: int) -> pd.DataFrame:
    return progress.targets(cursor())


def targets() -> pd.DataFrame:
    return _targets(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _departments(data_version_: int) -> pd.DataFrame:
    return inventory.departments(cursor())


def departments() -> pd.DataFrame:
    return _departments(version())


@st.cache_data(show_spinner=False, max_entries=32)
def _lineage(data_version_: int, indicator: str, district_code: str, year: int, as_of) -> pd.DataFrame:
    return lineage.lineage(cursor(), indicator, district_code, year, as_of)


def figure_lineage(indicator: str, district_code: str, year: int, as_of=None) -> pd.DataFrame:
    return _lineage(version(), indicator, district_code, year, as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def _quality(data_version_: int, as_of) -> dict[str, pd.DataFrame]:
    return quality.quality_report(cursor(), as_of)


def quality_report(as_of=None) -> dict[str, pd.DataFrame]:
    return _quality(version(), as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def _log(data_version_: int) -> pd.DataFrame:
    return inventory.submission_log(cursor())


def submission_log() -> pd.DataFrame:
    return _log(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _catalog(data_version_: int) -> pd.DataFrame:
    return inventory.indicator_catalog(cursor())


def indicator_catalog() -> pd.DataFrame:
    return _catalog(version())


def counts() -> dict[str, int]:
    return inventory.warehouse_counts(cursor())


@st.cache_data(show_spinner=False, max_entries=16)
def _meetings(data_version_: int) -> pd.DataFrame:
    return meeting.meetings(cursor())


def meetings() -> pd.DataFrame:
    return _meetings(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _pack(data_version_: int, meeting_id: int):
    return meeting.meeting_pack(cursor(), meeting_id)


def meeting_pack(meeting_id: int):
    """The meeting's six screens, frozen at its as-of; cached per data version."""
    return _pack(version(), meeting_id)
