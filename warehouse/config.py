"""Paths and settings. Limits live in data/settings.toml, not in code."""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
CATALOG_PATH = DATA_DIR / "catalog.xlsx"
DEMO_DIR = DATA_DIR / "demo"
SETTINGS_PATH = DATA_DIR / "settings.toml"


def default_db_path() -> Path:
    """The warehouse: $CFC_DB when set, else data/warehouse.duckdb."""
    return Path(os.environ.get("CFC_DB", DATA_DIR / "warehouse.duckdb"))


def archive_dir(db_path: Path | str) -> Path:
    """Received files are kept beside the warehouse they were loaded into."""
    db_path = Path(db_path)
    if str(db_path) == ":memory:":
        raise ValueError("an in-memory warehouse has no archive; pass archive_root")
    return db_path.parent / "archive"


@dataclass(frozen=True)
class Settings:
    max_file_bytes: int
    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_sheet_cells: int
    header_search_rows: int
    denominator_jump: float
    denominator_jump_min: float
    max_count: float
    max_errors: int
    max_denominator: float
    jump_points: float
    jump_share: float
    status_tolerance: float
    about_band_points: float
    worse_margin: float
    about_band_share: float
    small_sample_events: float
    confidence_z: float
    provisional_source_words: tuple[str, ...]
    board_start: dt.date
    deadline_days: dict[str, int]
    issuing_office: str
    max_master_list_bytes: int = 200 * 1024 * 1024   # a separate 社区名册 file (600,000 rows is ~40 MB)
    max_master_list_cells: int = 10_000_000
    session_idle_minutes: int = 30                   # [accounts]: server mode (issue 13)
    max_failed_logins: int = 5
    lock_minutes: int = 15
    min_password_length: int = 8
    approval_required: bool | str = "auto"           # [approval]: True, False or "auto" (on in server mode)
    dashboard_memory_mb: int = 512                   # [dashboard]: DuckDB's share of the dashboard's memory


@cache
def settings(path: Path = SETTINGS_PATH) -> Settings:
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    up, val, acc = raw["upload"], raw["validation"], raw.get("accounts", {})
    return Settings(
        max_file_bytes=int(up["max_file_mb"] * 1024 * 1024),
        max_uncompressed_bytes=int(up["max_uncompressed_mb"] * 1024 * 1024),
        max_compression_ratio=float(up["max_compression_ratio"]),
        max_sheet_cells=int(up["max_sheet_cells"]),
        header_search_rows=int(val["header_search_rows"]),
        denominator_jump=float(val["denominator_jump"]),
        denominator_jump_min=float(val["denominator_jump_min"]),
        max_count=float(val["max_count"]),
        max_errors=int(val["max_errors"]),
        max_denominator=float(val["max_denominator"]),
        jump_points=float(val["jump_points"]),
        jump_share=float(val["jump_share"]),
        status_tolerance=float(raw["status"]["tolerance"]),
        about_band_points=float(raw["status"]["about_band_points"]),
        worse_margin=float(raw["status"]["worse_than_last_year"]),
        about_band_share=float(raw["status"]["about_band_share"]),
        small_sample_events=float(raw["status"]["small_sample_events"]),
        confidence_z=float(raw["status"]["confidence_z"]),
        provisional_source_words=tuple(raw["catalog"]["provisional_source_words"]),
        board_start=raw["board"]["start"],
        deadline_days={f: int(raw["board"][f"deadline_days_{f}"]) for f in ("year", "quarter", "month")},
        issuing_office=str(raw["briefing"]["issuing_office"]),
        max_master_list_bytes=int(up.get("max_master_list_mb", 200) * 1024 * 1024),
        max_master_list_cells=int(up.get("max_master_list_cells", 10_000_000)),
        session_idle_minutes=int(acc.get("session_idle_minutes", 30)),
        max_failed_logins=int(acc.get("max_failed_logins", 5)),
        lock_minutes=int(acc.get("lock_minutes", 15)),
        min_password_length=int(acc.get("min_password_length", 8)),
        approval_required=_approval(raw.get("approval", {}).get("required", "auto")),
        dashboard_memory_mb=int(raw.get("dashboard", {}).get("duckdb_memory_mb", 512)),
    )


def _approval(value) -> bool | str:
    """[approval] required: true, false or "auto"."""
    if isinstance(value, bool) or value == "auto":
        return value
    raise ValueError(f"data/settings.toml 中 [approval] required 只能是 true、false 或 \"auto\"，现在是 {value!r}")
