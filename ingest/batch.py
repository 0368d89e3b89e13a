"""Many files at once (`python -m ingest load` with a folder's worth): each file is checked, read and
validated in a worker process, one per core, while the one writing connection loads the files already
inspected, in the order given, each exactly as receive() loads it (its own transaction, archive copy,
audit row and journal entry). Parsing is most of a load and files do not depend on each other until they
are loaded, so a province's 96 files take about half the time on two cores.

What a worker cannot do here falls back to the writing process, file by file: a register whose master list
the worker's copy of the catalog does not hold (MasterListNotRead), or anything that fails in a worker.
The dashboard and the journal's replay load one file at a time (receive)."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import types
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.config import settings

from . import worker
from .catalog import Catalog
from .pipeline import FileResult, Inspected, receive

MIN_FILES = 4      # fewer files are loaded one by one: starting the workers costs about a second
AHEAD = 2          # files inspected ahead of the writer, per worker (each holds a file's rows in memory)


def receive_all(con: duckdb.DuckDBPyConnection, paths: list[Path | str], archive_root: Path | str,
                workers: int | None = None, each: list[dict] | None = None, **receive_args) -> list[FileResult]:
    """receive() for each of `paths`, in order, with the inspection of the files ahead done by `workers`
    processes (default: one per core). `each`: arguments of receive() file by file (a department or a
    received_at of its own), over `receive_args`. The results are the ones receive() gives file by file."""
    paths = [Path(p) for p in paths]
    args = [{**receive_args, **own} for own in (each or [{}] * len(paths))]
    workers = min(len(paths), os.cpu_count() or 1) if workers is None else min(workers, len(paths))
    if workers < 2 or len(paths) < MIN_FILES:
        return [receive(con, p, archive_root, **a) for p, a in zip(paths, args)]
    # the catalog goes as bytes, read by the worker once it has started: handing over the objects themselves
    # would hold the writer until the worker had imported everything needed to rebuild them
    handover = pickle.dumps((Catalog.current(con), settings()), protocol=pickle.HIGHEST_PROTOCOL)
    # spawn, not fork: the writing process holds DuckDB's threads, which a forked child must never touch
    spawn = multiprocessing.get_context("spawn")
    with _plain_main(), _writing_beside_workers(con), ProcessPoolExecutor(
            workers, mp_context=spawn, initializer=worker.start, initargs=(handover,)) as pool:
        waiting: deque[Future | None] = deque()
        ahead = zip(paths, args)
        results = []
        for path, a in zip(paths, args):
            while len(waiting) < workers * AHEAD and (next_file := next(ahead, None)) is not None:
                waiting.append(_submit(pool, next_file[0], next_file[1].get("department"), archive_root))
            results.append(receive(con, path, archive_root, inspected=_outcome(waiting.popleft()), **a))
    return results


WAL_LIMIT = "256MB"   # checkpoint_threshold during a batch: the national set's 96 files write 94 MB of log


@contextmanager
def _writing_beside_workers(con: duckdb.DuckDBPyConnection):
    """DuckDB settings for the writer while the workers hold the cores, put back afterwards:
    - one thread: a load's small statements cost half as much without waking a pool that has no idle core;
    - one checkpoint, at the end, instead of one every 16 MB of log: each rewrote the tables' last row groups
      (1.5 s for the national set's 96 files; 0.8 s once at the end)."""
    threads, threshold = con.execute(
        "SELECT current_setting('threads'), current_setting('checkpoint_threshold')").fetchall()[0]
    con.execute("SET threads = 1")
    con.execute("SET checkpoint_threshold = ?", [WAL_LIMIT])
    try:
        yield
    finally:
        con.execute("SET threads = ?", [threads])
        con.execute("SET checkpoint_threshold = ?", [threshold])
        con.execute("CHECKPOINT")


@contextmanager
def _plain_main():
    """Workers start from a plain __main__. A spawned process imports its parent's __main__ again, and after
    Streamlit (or its AppTest) has run, that is a page script, which must not run in a worker."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _submit(pool: ProcessPoolExecutor, path: Path, department: str | None, archive_root: Path | str) -> Future | None:
    """The file's inspection, sent to a worker; None when the pool cannot take it (a worker died)."""
    try:
        return pool.submit(worker.inspect_file, path, department, Path(archive_root))
    except (BrokenProcessPool, RuntimeError):
        return None


def _outcome(future: Future | None) -> Inspected | None:
    """A worker's inspection; None (the writer inspects the file itself) when the worker failed."""
    if future is None:
        return None
    try:
        return future.result()
    except Exception:   # noqa: BLE001 — whatever it was, receive() meets it again and answers as it always does
        return None
