"""The worker side of ingest.batch (one process per core), kept apart with nothing heavy imported at the top: a worker process that
starts takes its share of the catalog at once (the writer waits for that hand-over), and imports the
pipeline only then, while the writer goes on."""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

_HELD: dict = {}   # this worker's catalog and settings


def start(handover: bytes) -> None:
    """A worker's first step: the writer's catalog and settings."""
    _HELD["catalog"], _HELD["settings"] = pickle.loads(handover)


def inspect_file(path: Path, department: str | None, archive_root: Path):
    """The file's archive copy (the writer finds it there) and its inspection, with its rows' arrays made
    for the writer's inserts; None when it needs the master list, which the writer reads itself."""
    from .catalog import MasterListNotRead
    from .pipeline import inspect, store
    data = path.read_bytes()
    store(archive_root, hashlib.sha256(data).hexdigest(), data, path.name)
    try:
        v, kind, shape = inspect(data, path.name, _HELD["catalog"], department, _HELD["settings"])
    except MasterListNotRead:
        return None
    for rows in (v.observations, v.units, v.task_updates, v.totals, v.parts):
        rows.prepare_arrays()
    return v, kind, shape
