"""Reviewing an uploaded file before it is loaded: its problems, its rows, and what it would change.

It stands on both ingest (examining the file as a load would) and metrics (the figures it would change),
so it lives here, above them: ingest never imports metrics."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import duckdb
import pandas as pd

from ingest.approval import stage_approval
from ingest.catalog import Catalog
from ingest.pipeline import ACCEPTED, examine, record
from ingest.validate import Validated
from metrics.preview import effect_of
from ui import format as fmt
from warehouse.db import first_row


@dataclass
class Review:
    name: str
    data: bytes
    validated: Validated
    shape: str | None
    duplicate_of: int | None          # the submission that already holds these bytes
    rows: pd.DataFrame                # what would load, as shown (no cell reads None)
    effect: pd.DataFrame              # city figures that would change

    @property
    def loadable(self) -> bool:
        return self.duplicate_of is None and not self.validated.has_errors()


def review(con: duckdb.DuckDBPyConnection, data: bytes, name: str, department: str | None = None) -> Review:
    """Examine a file as `receive` would, and stage it in a rolled-back transaction to preview its effect."""
    sha = hashlib.sha256(data).hexdigest()
    earlier = first_row(con, "SELECT id FROM submission WHERE sha256 = ? AND status = 'accepted' AND id NOT IN "
                             "(SELECT submission_id FROM approval_state() WHERE state = 'returned') ORDER BY id LIMIT 1",
                        [sha])   # as receive: a returned file sent again starts again
    catalog = Catalog.current(con)
    v, _, shape = examine(data, name, catalog, con, department)
    loaded = [pd.DataFrame(rows.arrays()) for rows in (v.observations, v.units) if len(rows)]
    rows = fmt.cells(pd.concat(loaded, ignore_index=True)) if loaded else pd.DataFrame()   # formatted once a file
    effect = pd.DataFrame()
    if earlier is None and not v.has_errors():
        own = sorted({code for rows in (v.observations, v.units) for code in rows.column("indicator_code")})
        effect = effect_of(con, lambda c: record(c, v, sha, name, shape, ACCEPTED, dt.datetime.now(), None), own)
    return Review(name, data, v, shape, earlier[0] if earlier else None, rows, effect)


def approval_effect(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    """The city figures a waiting file would change once approved (staged, rolled back)."""
    return effect_of(con, lambda c: stage_approval(c, submission_id))
