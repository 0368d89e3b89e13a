"""Approval (审核, issue 13): an accepted file is 待审核 until a 管理员 approves it (审核通过) or returns it with a
reason (退回); only approved figures count (the `reported` macro, on which every current_* macro builds).

Required in server mode and not in personal mode, unless `[approval] required` in data/settings.toml says
otherwise. Each decision is one append-only row of approval_event, with its audit row in the same transaction,
a new data version (caches refresh) and a journal line, so `python -m ingest rebuild` reproduces it. An approved
submission may be reopened (重新打开, back to 待审核) by a 管理员, with a reason; a returned one is final: the
department sends a corrected file, which starts again as 待审核.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:   # only named in annotations: a worker process reading files need not import pandas
    import pandas as pd

from warehouse import journal
from warehouse.access import APPROVE, REOPEN, RETURN, Actor, personal_actor, require, server_mode
from warehouse.audit import record as audit
from warehouse.config import settings
from warehouse.db import bump_data_version, first_row, transaction

PENDING, APPROVED, RETURNED, REOPENED = "pending", "approved", "returned", "reopened"
MAX_REASON = 500


class ApprovalRefused(ValueError):
    """The decision was not made; the message says why, in Chinese."""


def approval_required(con: duckdb.DuckDBPyConnection) -> bool:
    """Must an accepted file wait for a 管理员's approval? `[approval] required`: true, false, or "auto" (the
    default): in server mode (the warehouse holds an account), not in personal mode."""
    required = settings().approval_required
    return server_mode(con) if required == "auto" else bool(required)


def pending(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every submission waiting for a decision (待审核, reopened ones too), oldest first."""
    return con.execute("""
        SELECT s.id, s.file_name, s.department_code, d.name AS department, array_to_string(s.periods, '、') AS periods,
               s.received_at, s.received_by, s.n_rows,
               coalesce(a.last_decision = 'reopened', false) AS reopened, a.reason   -- a reopened one: why
        FROM approval_state() a JOIN submission s ON s.id = a.submission_id
        LEFT JOIN department d ON d.code = s.department_code
        WHERE a.state = 'pending' ORDER BY s.received_at, s.id""").df()


def returned(con: duckdb.DuckDBPyConnection, department: str | None = None) -> pd.DataFrame:
    """Submissions returned (退回), newest decision first, with the reason and who returned them: what a
    department must correct and send again. `department`: a department code, or None for all."""
    return con.execute("""
        SELECT s.id, s.file_name, s.department_code, d.name AS department, array_to_string(s.periods, '、') AS periods,
               s.received_at, a.decided_at AS returned_at, a.reason,
               (SELECT arg_max(e.actor, (e.decided_at, e.id)) FROM approval_event e WHERE e.submission_id = s.id)
                   AS returned_by
        FROM approval_state() a JOIN submission s ON s.id = a.submission_id
        LEFT JOIN department d ON d.code = s.department_code
        WHERE a.state = 'returned' AND ($department IS NULL OR s.department_code = $department)
        ORDER BY a.decided_at DESC, s.id DESC""", {"department": department}).df()


def decisions(con: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    """Every decision on one submission, oldest first."""
    return con.execute("SELECT decision, decided_at, actor, role, reason FROM approval_event "
                       "WHERE submission_id = ? ORDER BY decided_at, id", [submission_id]).df()


def state(con: duckdb.DuckDBPyConnection, submission_id: int) -> str | None:
    """pending | approved | returned, or None for a submission that does not exist or was rejected."""
    row = first_row(con, "SELECT state FROM approval_state() WHERE submission_id = ?", [submission_id])
    return row[0] if row else None


def stage_approval(con: duckdb.DuckDBPyConnection, submission_id: int, at: dt.datetime | None = None) -> None:
    """The approval's effect alone (its event, no audit, no journal), for a preview inside the caller's
    transaction, which is always rolled back (metrics.preview.effect_of)."""
    con.execute("INSERT INTO approval_event (submission_id, decision, decided_at, actor, role, reason) "
                "VALUES (?, ?, ?, '（预览）', '', NULL)", [submission_id, APPROVED, at or dt.datetime.now()])


def approve(con: duckdb.DuckDBPyConnection, submission_id: int, actor: Actor | None = None,
            at: dt.datetime | None = None) -> None:
    """审核通过: the submission's figures count from now on (and in any as-of from this moment)."""
    _decide(con, submission_id, APPROVED, None, actor, at)


def return_submission(con: duckdb.DuckDBPyConnection, submission_id: int, reason: str, actor: Actor | None = None,
                      at: dt.datetime | None = None) -> None:
    """退回 with a reason the department sees: the figures never count; a corrected file starts again."""
    _decide(con, submission_id, RETURNED, reason, actor, at)


def reopen(con: duckdb.DuckDBPyConnection, submission_id: int, reason: str, actor: Actor | None = None,
           at: dt.datetime | None = None) -> None:
    """重新打开 an approved submission (or one that counted without approval): its figures stop counting and it
    is 待审核 again, to be approved or returned."""
    _decide(con, submission_id, REOPENED, reason, actor, at)


_ACTION = {APPROVED: APPROVE, RETURNED: RETURN, REOPENED: REOPEN}
_DONE = {APPROVED: "审核通过", RETURNED: "退回", REOPENED: "重新打开"}


def _decide(con, submission_id: int, decision: str, reason: str | None, actor: Actor | None,
            at: dt.datetime | None) -> None:
    actor = actor or personal_actor()
    require(actor, _ACTION[decision])
    reason = " ".join(str(reason or "").split())[:MAX_REASON] or None
    if decision != APPROVED and reason is None:
        raise ApprovalRefused(f"{_DONE[decision]}第 {submission_id} 号报送须填写原因"
                              + ("（部门会看到这条原因，据此修改后重新报送）。" if decision == RETURNED else "。"))
    at = at or dt.datetime.now()
    with transaction(con):
        row = first_row(con, "SELECT s.file_name, s.status, a.state, a.reason FROM submission s "
                             "LEFT JOIN approval_state() a ON a.submission_id = s.id WHERE s.id = ?", [submission_id])
        _check(submission_id, decision, row)
        con.execute("INSERT INTO approval_event (submission_id, decision, decided_at, actor, role, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [submission_id, decision, at, actor.name, actor.role, reason])
        bump_data_version(con)
        audit(con, actor, _ACTION[decision], "submission", submission_id,
              f"{row[0]}：{_DONE[decision]}" + (f"。原因：{reason}" if reason else ""), at)
    journal.write(con, "approval", submission_id=submission_id, decision=decision, reason=reason, at=at, actor=actor)


def _check(submission_id: int, decision: str, row: tuple | None) -> None:
    """Refuse (ApprovalRefused) a decision the submission's state does not allow."""
    if row is None:
        raise ApprovalRefused(f"第 {submission_id} 号报送不存在，请核对编号（python -m ingest pending 列出待审核的报送）。")
    file_name, status, now, reason = row
    name = f"第 {submission_id} 号报送（{file_name}）"
    if status != "accepted":
        raise ApprovalRefused(f"{name}未通过检查，没有导入任何数据，无需审核；请部门修改错误后重新报送。")
    if decision == REOPENED:
        if now != APPROVED:
            raise ApprovalRefused(f"{name}{'已退回' if now == RETURNED else '正在待审核'}，只有已审核通过的报送才能重新打开。")
        return
    if now == APPROVED:
        raise ApprovalRefused(f"{name}已审核通过，数据已计入。"
                              + ("" if decision == APPROVED else "如需撤下，请先「重新打开」并说明原因。"))
    if now == RETURNED:
        raise ApprovalRefused(f"{name}已退回（原因：{reason}），不能再{_DONE[decision]}；请部门修改后重新报送。")


@journal.replays("approval")
def _replay_approval(con, archive: Path, submission_id: int, decision: str, reason, at: str,
                     actor: dict | None = None) -> None:
    _decide(con, submission_id, decision, reason, Actor.from_dict(actor), journal.moment(at))
