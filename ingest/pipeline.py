"""One received file, end to end:
archive → check at the door → read → extract → validate → load in one transaction.

Every file received is kept in the archive, accepted or not. A file with any
error loads no row. The same bytes twice are a no-op reported as duplicate.
A 填报员's file for another department is refused: kept and recorded, nothing of it loaded.
When approval is required (ingest/approval.py: server mode, or `[approval] required`), an accepted file is
loaded as 待审核: its rows are kept but count only once a 管理员 approves it.
Every receipt writes its audit row in the transaction that records it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from warehouse import journal
from warehouse.access import REVERT, UPLOAD, UPLOAD_OTHER, Actor, allowed, personal_actor, refusal, require
from warehouse.audit import record as audit
from warehouse.config import Settings, settings
from warehouse.db import bump_data_version, first_row, transaction, warehouse_archive
from warehouse.periods import period_year, year_before

from .approval import PENDING, RETURNED, approval_required, state as approval_state
from .catalog import Catalog
from .gate import check
from .problems import ERROR, Problem, capped, errors, problem, warnings
from .shapes import extract
from .rows import Rows, all_missing
from .validate import Validated, denominator_jumps, validate
from .workbook import read

ACCEPTED, REJECTED, DUPLICATE = "accepted", "rejected", "duplicate"
REFUSED = "refused"   # a file the actor may not send (another department's): kept and recorded, nothing loaded
Inspected = tuple[Validated, "str | None", "str | None"]   # a file's result, its kind and its shape


@dataclass
class FileResult:
    file: str
    status: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    submission_id: int | None = None
    department_code: str | None = None
    periods: list[str] = field(default_factory=list)
    shape: str | None = None
    earlier_status: str | None = None  # for a duplicate: what became of the first copy
    pending: bool = False              # accepted, 待审核: counts once a 管理员 approves it

    @property
    def refused(self) -> bool:
        """Nothing of this file is loaded: rejected or refused now, or a copy of a rejected file."""
        return self.status == REFUSED or REJECTED in (self.status, self.earlier_status)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings(self.problems)

    def as_json(self) -> dict:
        strip = lambda p: {k: v for k, v in p.as_dict().items() if k in ("sheet", "cell", "rule", "message", "value")}  # noqa: E731
        return {"file": self.file, "status": self.status, "rows": self.rows,
                **({"earlier_status": self.earlier_status} if self.earlier_status else {}),
                **({"pending": True} if self.pending else {}),
                "department": self.department_code, "periods": self.periods,
                "errors": [strip(p) for p in self.errors], "warnings": [strip(p) for p in self.warnings]}


def examine(data: bytes, file_name: str, catalog: Catalog, con: duckdb.DuckDBPyConnection | None = None,
            department: str | None = None, cfg: Settings | None = None,
            inspected: Inspected | None = None) -> Inspected:
    """Check, read, extract and validate, touching nothing; with `con`, also compare the denominators with
    the figures held. Returns (result, file kind, shape). `inspected`: what inspect() found already (in a
    worker process, ingest.batch), for the rest."""
    cfg = cfg or settings()
    v, kind, shape = inspected or inspect(data, file_name, catalog, department, cfg)
    if con is not None and not v.has_errors():
        v.problems += denominator_jumps(v.observations, _jumps(con, v.observations, cfg), catalog,
                                        cfg.denominator_jump)
    v.problems = _located(v.problems, file_name)
    return v, kind, shape


def inspect(data: bytes, file_name: str, catalog: Catalog, department: str | None = None,
            cfg: Settings | None = None) -> Inspected:
    """The checks that need the file and the catalog alone (the gate, reading, extracting, validating):
    (result, file kind, shape), its problems not yet placed in the file (examine() does that)."""
    cfg = cfg or settings()
    gate = check(data, cfg)
    if gate.problems:
        return Validated(None, problems=gate.problems), gate.kind, None
    sheets, problems = read(data, gate)
    if problems:
        return Validated(None, problems=problems), gate.kind, None
    ex = extract(sheets, cfg.header_search_rows)
    suffix = Path(file_name).suffix.lower()
    if gate.kind == "csv" and suffix in (".xlsx", ".xls", ".xlsm") and any(
            p.rule == "header_not_found" for p in ex.problems):
        return Validated(None, problems=[problem("text_renamed", suffix=suffix)]), None, None
    v = validate(ex, catalog, department)
    v.problems = gate.notes + v.problems
    return v, gate.kind, ex.shape


def _located(problems: list[Problem], file_name: str) -> list[Problem]:
    return [Problem(p.rule, p.severity, p.message, file_name, p.sheet, p.cell, p.value) for p in capped(problems)]


def _jumps(con, observations: Rows, cfg: Settings) -> dict[int, float]:
    """The file's rows whose denominator moved more than `denominator_jump` from the one currently held for the
    same indicator, area and period a year before, with that earlier denominator (row index → earlier one).
    Denominators below `denominator_jump_min` on both sides are not compared: 2 → 3 libraries is not news;
    nor is anything against an earlier 0. Compared in DuckDB, the file's columns against the warehouse's."""
    rows = observations if isinstance(observations, Rows) else Rows(observations)
    frame = rows.arrays(("indicator_code", "district_code", "period", "denominator"))
    if all_missing(frame["denominator"]):
        return {}
    frame["k"] = np.arange(len(rows))
    codes = sorted(set(rows.column("indicator_code")))
    before = sorted({year_before(p) for p in set(rows.column("period"))})
    return dict(con.execute("""
        WITH held AS (   -- current_observation(), filtered before it picks the latest, with the periods' range
                         -- on the table itself (row groups skipped by their period range): 2× faster on a
                         -- province's; the latest by arg_max, a quarter faster than current_observation()'s window
            SELECT o.indicator_code, o.district_code, o.period,
                   arg_max(o.denominator, (s.received_at, s.id)) AS denominator
            FROM current_submission() c JOIN observation o USING (submission_id, indicator_code, period)
            JOIN submission s ON s.id = o.submission_id
            WHERE list_contains($codes, c.indicator_code) AND list_contains($before, c.period)
              AND period_in_years(o.period, $first, $last)
            GROUP BY ALL)
        SELECT f.k, h.denominator
        FROM frame f
        JOIN held h ON h.indicator_code = f.indicator_code AND h.district_code = f.district_code
                   AND h.period = year_before(f.period)
        WHERE h.denominator > 0 AND NOT isnan(CAST(f.denominator AS DOUBLE))
          AND greatest(h.denominator, f.denominator) >= $smallest AND abs(f.denominator / h.denominator - 1) > $limit
        ORDER BY f.k""", {"codes": codes, "before": before, "first": period_year(before[0]),
                          "last": period_year(before[-1]), "smallest": cfg.denominator_jump_min,
                          "limit": cfg.denominator_jump}).fetchall())


def store(root: Path, sha: str, data: bytes, file_name: str) -> Path:
    """The file's bytes at archive/ab/abcdef….xlsx (kept once: the same bytes are the same file), written
    under a name of this process's own and then renamed, so a copy is never seen half written."""
    target = Path(root) / sha[:2] / f"{sha}{Path(file_name).suffix.lower()[:8]}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f"{target.name}.{os.getpid()}.part")
        part.write_bytes(data)
        part.replace(target)
    return target


def receive(con: duckdb.DuckDBPyConnection, path: Path | str, archive_root: Path | str,
            department: str | None = None, received_at: dt.datetime | None = None,
            received_by: str | None = None, file_name: str | None = None,
            data: bytes | None = None, *, actor: Actor | None = None,
            needs_approval: bool | None = None, inspected: Inspected | None = None) -> FileResult:
    """Archive, examine and (when clean) load one file, as `actor` (personal mode: a 管理员 named
    `received_by`). A role that may not upload raises NotAllowed before anything is kept.
    An accepted file waits for approval (result.pending) when `needs_approval`, by default when
    `approval_required`: whoever sent it, from the dashboard, the inbox or the command line.
    `inspected`: the file's inspect(), already done by a worker process (ingest.batch)."""
    actor = actor or personal_actor(received_by)
    require(actor, UPLOAD)
    path = Path(path)
    data = path.read_bytes() if data is None else data
    file_name = file_name or path.name
    received_at = received_at or dt.datetime.now()
    received_by = received_by or actor.name
    sha = hashlib.sha256(data).hexdigest()
    archive_path = keep_in_archive(Path(archive_root), sha, data, file_name, received_at, received_by)
    stored = archive_path.relative_to(Path(archive_root)).as_posix()   # where the bytes are, inside the archive
    entry = {"stored": stored, "file_name": file_name, "department": department, "received_at": received_at,
             "received_by": received_by, "actor": actor}
    receipt = (sha, file_name, received_at, received_by)

    # Only an accepted copy makes these bytes a duplicate: a refused one is examined again, since the
    # department given or the catalog may have changed since; a returned one too (resubmitting starts again).
    earlier = next((row for row in con.execute(
        "SELECT id, status, department_code, periods FROM submission WHERE sha256 = ? AND status = 'accepted' "
        "ORDER BY id", [sha]).fetchall() if approval_state(con, row[0]) != RETURNED), None)
    if earlier and not allowed(actor, UPLOAD, earlier[2]):
        return _refuse(con, actor, Catalog.current(con), [earlier[2]], Validated(earlier[2]), None, receipt, None,
                       stored, data, entry)
    if earlier:
        with transaction(con):
            _receipt(con, receipt, DUPLICATE, earlier[0])
            audit(con, actor, UPLOAD, "submission", earlier[0],
                  f"{file_name}：与第 {earlier[0]} 号报送内容相同，未再次导入", received_at)
        issues = con.execute("SELECT rule, severity, message, sheet, cell, value FROM submission_issue "
                             "WHERE submission_id = ?", [earlier[0]]).fetchall()
        problems = [Problem(rule, sev, msg, file_name, sheet, cell, value)
                    for rule, sev, msg, sheet, cell, value in issues]
        journal.write(con, "receive", **entry)
        return FileResult(file_name, DUPLICATE, problems=problems, submission_id=earlier[0],
                          department_code=earlier[2], periods=list(earlier[3]), earlier_status=earlier[1],
                          pending=approval_state(con, earlier[0]) == PENDING)

    catalog = Catalog.current(con)
    v, kind, shape = examine(data, file_name, catalog, con, department, inspected=inspected)
    foreign = [] if allowed(actor, UPLOAD_OTHER) else [d for d in reported_for(v, catalog)
                                                      if not allowed(actor, UPLOAD, d)]
    if foreign:
        return _refuse(con, actor, catalog, foreign, v, shape, receipt, kind, stored, data, entry)
    status = REJECTED if v.has_errors() else ACCEPTED
    wait = status == ACCEPTED and (approval_required(con) if needs_approval is None else needs_approval)
    result = FileResult(file_name, status, v.rows if status == ACCEPTED else 0, v.problems,
                        department_code=v.department_code, periods=v.periods, shape=shape, pending=wait)
    with transaction(con):
        con.execute("INSERT OR IGNORE INTO received_file VALUES (?, ?, ?, ?)",
                    [sha, len(data), kind, stored])
        result.submission_id = record(con, v, sha, file_name, shape, status, received_at, received_by,
                                      needs_approval=wait)
        _receipt(con, receipt, status, result.submission_id)
        bump_data_version(con)
        audit(con, actor, UPLOAD, "submission", result.submission_id,
              f"{file_name}：已接收，{result.rows} 行" + ("，待审核" if wait else "") if status == ACCEPTED else
              f"{file_name}：已退回，{len(result.errors)} 个错误", received_at)
    # the decision is journaled, not asked again on replay (accounts and settings may differ by then)
    journal.write(con, "receive", **entry, **({"needs_approval": True} if wait else {}))
    return result


def reported_for(v: Validated, catalog: Catalog) -> list[str]:
    """The departments a file reports for: its 填报单位, and the lead of every indicator or task in it that
    the 填报单位 neither leads nor works on (代报, on another department's behalf)."""
    own = v.department_code
    codes = {code for rows in (v.observations, v.parts, v.units, v.totals) for code in rows.column("indicator_code")}
    owners = [catalog.indicators[c] for c in codes] + [catalog.tasks[t["task_code"]] for t in v.task_updates]
    return sorted(({own} if own else set()) | {o.lead_department for o in owners
                                               if own not in (o.lead_department, *o.co_departments)})


def _receipt(con, receipt: tuple, outcome: str, submission_id: int | None) -> int:
    return first_row(con, "INSERT INTO receipt (sha256, file_name, received_at, received_by, outcome, submission_id) "
                          "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", [*receipt, outcome, submission_id])[0]


def _refuse(con, actor: Actor, catalog: Catalog, foreign: list[str], v: Validated, shape: str | None,
            receipt: tuple, kind: str | None, stored: str, data: bytes, entry: dict) -> FileResult:
    """Record a file the actor may not send (its bytes are already in the archive): a receipt and an audit
    row, no submission, so no department's figures or board change."""
    sha, file_name, received_at, _ = receipt
    message = refusal(actor, UPLOAD, foreign, {code: d.name for code, d in catalog.departments.items()})
    with transaction(con):
        con.execute("INSERT OR IGNORE INTO received_file VALUES (?, ?, ?, ?)", [sha, len(data), kind, stored])
        receipt_id = _receipt(con, receipt, REFUSED, None)
        bump_data_version(con)
        audit(con, actor, UPLOAD, "receipt", receipt_id, f"{file_name}：已拒收。{message}", received_at)
    journal.write(con, "receive", **entry)
    return FileResult(file_name, REFUSED, problems=[Problem("not_own_department", ERROR, message, file_name)],
                      department_code=v.department_code, periods=v.periods, shape=shape)


@journal.replays("receive")
def _replay_receive(con, archive: Path, stored: str, file_name: str, department, received_at: str,
                    received_by, actor: dict | None = None, needs_approval: bool = False) -> None:
    receive(con, archive / stored, warehouse_archive(con), department=department,
            received_at=journal.moment(received_at), received_by=received_by, file_name=file_name,
            actor=Actor.from_dict(actor), needs_approval=needs_approval)


def record(con: duckdb.DuckDBPyConnection, v: Validated, sha: str, file_name: str, shape: str | None,
           status: str, received_at: dt.datetime, received_by: str | None, revert_of: int | None = None,
           needs_approval: bool = False) -> int:
    """Write one submission, its problems and (when accepted) its rows. The caller owns the transaction."""
    submission_id = first_row(
        con, "INSERT INTO submission (sha256, file_name, shape, department_code, periods, status, received_at, "
        "received_by, filled_by, phone, submitted_on, n_rows, n_errors, n_warnings, revert_of, needs_approval) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [sha, file_name, shape, v.department_code, v.periods, status, received_at, received_by,
         v.filled_by, v.phone, v.submitted_on, v.rows if status == ACCEPTED else 0,
         len(errors(v.problems)), len(warnings(v.problems)), revert_of, needs_approval])[0]
    if v.problems:
        con.executemany("INSERT INTO submission_issue VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [[submission_id, p.severity, p.sheet, p.cell, p.rule, p.value, p.message]
                         for p in v.problems])
    if status == ACCEPTED:
        _insert(con, "observation", v.observations, submission_id)
        _insert(con, "observation_part", v.parts, submission_id)
        _insert(con, "register_entry", v.units, submission_id)
        _insert(con, "reported_total", v.totals, submission_id)
        _insert(con, "task_update", v.task_updates, submission_id)
    return submission_id


def revert_to(con: duckdb.DuckDBPyConnection, submission_id: int, received_by: str | None = None,
              at: dt.datetime | None = None, *, actor: Actor | None = None) -> int:
    """Make an earlier accepted submission count again, as a new recorded event (a 管理员's change).

    Its rows are copied into a new submission (revert_of = the earlier id) received now, which
    supersedes whatever came in between; for the file's periods, what only later files reported is
    withdrawn, so the figures are exactly what that file said. Nothing is deleted.

    A revert counts at once, even when approval is required: it is the 管理员's own act (and audited as such).
    Only a submission that counts (approved, or loaded when no approval was required) can be reverted to.
    """
    actor = actor or personal_actor(received_by)
    require(actor, REVERT)
    at = at or dt.datetime.now()
    received_by = received_by or actor.name
    source = first_row(con, "SELECT sha256, file_name, shape, status FROM submission WHERE id = ?", [submission_id])
    if source is None or source[3] != ACCEPTED:
        raise ValueError(f"第 {submission_id} 号报送不存在或未被接收，不能恢复")
    if approval_state(con, submission_id) != "approved":
        raise ValueError(f"第 {submission_id} 号报送尚未审核通过（待审核或已退回），不能恢复；请先审核")
    with transaction(con):
        new_id = first_row(con, """
            INSERT INTO submission (sha256, file_name, shape, department_code, periods, status, received_at,
                                    received_by, filled_by, phone, submitted_on, n_rows, n_errors, n_warnings, revert_of)
            SELECT sha256, file_name, shape, department_code, periods, status, ?, ?, filled_by, phone, submitted_on,
                   n_rows, 0, 0, id
            FROM submission WHERE id = ? RETURNING id""", [at, received_by, submission_id])[0]
        # (a revert's own withdrawals too: reverting to a revert restores what it withdrew)
        for table in ("observation", "observation_part", "register_entry", "reported_total", "task_update",
                      "withdrawal"):
            columns = _columns(con, table)
            rest = [c for c in columns if c != "submission_id"]
            con.execute("INSERT INTO " + table + " (submission_id, " + ", ".join(rest) + ") SELECT ?, "
                        + ", ".join(rest) + " FROM " + table + " WHERE submission_id = ?", [new_id, submission_id])
        # What later files of the department reported for the reverted file's periods, and the file
        # itself did not, is withdrawn: the state is exactly what that file said.
        con.execute("""
            INSERT INTO withdrawal
            SELECT DISTINCT $new, r.indicator_code, r.period
            FROM reported() r JOIN submission old ON old.id = $old
            WHERE r.department_code IS NOT DISTINCT FROM old.department_code AND r.received_at > old.received_at
              AND r.submission_id <> $new AND list_contains(old.periods, r.period)
              AND NOT EXISTS (SELECT 1 FROM reported() mine
                              WHERE mine.submission_id = $old AND mine.indicator_code = r.indicator_code
                                AND mine.period = r.period)""", {"new": new_id, "old": submission_id})
        _receipt(con, (source[0], source[1], at, received_by), "revert", new_id)
        bump_data_version(con)
        audit(con, actor, REVERT, "submission", new_id,
              f"恢复第 {submission_id} 号报送（{source[1]}），记为第 {new_id} 号报送", at)
    journal.write(con, "revert", submission_id=submission_id, received_by=received_by, at=at, actor=actor)
    return new_id


@journal.replays("revert")
def _replay_revert(con, archive: Path, submission_id: int, received_by, at: str, actor: dict | None = None) -> None:
    revert_to(con, submission_id, received_by, journal.moment(at), actor=Actor.from_dict(actor))


def _columns(con, table: str) -> list[str]:
    return [c[0] for c in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                      "ORDER BY column_index", [table]).fetchall()]


def _insert(con, table: str, rows: Rows | list[dict], submission_id: int) -> None:
    """A submission's rows of one table in one statement, from its columns (NumPy arrays, which DuckDB reads
    as a table), matched by name."""
    if not rows:
        return
    frame = (rows if isinstance(rows, Rows) else Rows(rows)).arrays(submission_id=submission_id)
    # `table` is one of record()'s table names (an identifier cannot be bound); `frame` is read by its name
    con.execute("INSERT INTO " + table + " BY NAME SELECT * FROM frame")


def keep_in_archive(root: Path, sha: str, data: bytes, file_name: str, received_at: dt.datetime,
             received_by: str | None) -> Path:
    """Content-addressed store: archive/ab/abcdef….xlsx, plus an append-only receipts log."""
    target = store(root, sha, data, file_name)
    with (root / "receipts.jsonl").open("a", encoding="utf-8") as log:
        log.write(json.dumps({"sha256": sha, "file": file_name, "received_at": received_at.isoformat(),
                              "received_by": received_by}, ensure_ascii=False) + "\n")
    return target

