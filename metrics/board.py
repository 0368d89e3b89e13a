"""The submission board (报送情况): DHIS2's completeness, for Excel reports.

Expected: each department × the report frequencies of the indicators it leads ×
the periods that have ended, from the board's start date. A report is due
`deadline_days[frequency]` days after its period ends (data/settings.toml).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from warehouse.config import settings
from warehouse.periods import period_end

ON_TIME, LATE, MISSING, REJECTED, NOT_DUE = "按时", "逾期", "未报", "退回", "未到期"
PENDING = "待审核"   # the latest file waits for a 管理员's decision (ingest/approval.py)


def periods_between(frequency: str, first: dt.date, last: dt.date) -> list[str]:
    """Every period of a frequency whose end falls within [first, last]."""
    out = []
    for year in range(first.year - 1, last.year + 1):
        if frequency == "year":
            candidates = [str(year)]
        elif frequency == "quarter":
            candidates = [f"{year}-Q{q}" for q in range(1, 5)]
        else:
            candidates = [f"{year}-{m:02d}" for m in range(1, 13)]
        out += [p for p in candidates if first <= period_end(p) <= last]
    return out


def expected_submissions(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """department × frequency × period for every period that has ended by `as_of`
    and whose deadline is on or after the board's start."""
    cfg = settings()
    today = (as_of or dt.datetime.now()).date()
    rows = con.execute("""
        SELECT DISTINCT i.lead_department AS department_code, d.name AS department, i.frequency,
               d.contact, d.phone
        FROM indicator i JOIN department d ON d.code = i.lead_department
    """).fetchall()
    out = []
    for code, name, freq, contact, phone in rows:
        days = cfg.deadline_days[freq]
        for p in periods_between(freq, cfg.board_start - dt.timedelta(days=days), today):
            deadline = period_end(p) + dt.timedelta(days=days)
            if deadline >= cfg.board_start:
                out.append((code, name, freq, p, period_end(p), deadline, contact, phone))
    return pd.DataFrame(out, columns=["department_code", "department", "frequency", "period", "period_end",
                                      "deadline", "contact", "phone"])


_RECEIVED = """
WITH files AS (
    SELECT s.id, s.status, s.file_name, s.received_at, p.period, s.department_code
    FROM submission s, unnest(s.periods) AS p(period)
    WHERE s.received_at <= $as_of
)
SELECT f.department_code, f.period,
       min(f.received_at) FILTER (WHERE a.state = 'approved') AS received_at,
       arg_min(f.id, (f.received_at, f.id)) FILTER (WHERE a.state = 'approved') AS submission_id,
       arg_min(f.file_name, (f.received_at, f.id)) FILTER (WHERE a.state = 'approved') AS file_name,
       -- the latest accepted file (a struct: arg_max skips a NULL argument, and a reason may be NULL)
       arg_max({'state': a.state, 'id': f.id, 'file': f.file_name, 'at': f.received_at, 'reason': a.reason},
               (f.received_at, f.id)) FILTER (WHERE f.status = 'accepted') AS latest,
       bool_or(f.status = 'rejected') AS rejected
FROM files f LEFT JOIN approval_state(as_of := $as_of) a ON a.submission_id = f.id
GROUP BY ALL
"""


def submission_board(con: duckdb.DuckDBPyConnection, as_of: dt.datetime | None = None) -> pd.DataFrame:
    """One row per expected submission with its status:
    待审核 (the latest accepted file waits for a 管理员's decision), 按时 (first approved receipt — or one that
    needed no approval — on or before the deadline), 逾期 (after it), 退回 (only rejected files so far, or the
    latest file was returned: `reason` says why), 未报 (nothing and the deadline has passed), 未到期 (nothing,
    not yet due). Approval is taken as it stood at `as_of`.
    `days_late` counts past the deadline: to the receipt, or to `as_of` when still missing.
    """
    as_of = as_of or dt.datetime.now()
    expected = expected_submissions(con, as_of)
    received = con.execute(_RECEIVED, {"as_of": as_of}).df()
    board = expected.merge(received, on=["department_code", "period"], how="left")
    today = as_of.date()
    if board.empty:
        return board.drop(columns=["latest", "rejected"]).assign(status=[], days_late=[], reason=[])
    latest = board["latest"].map(lambda x: x if isinstance(x, dict) else {})
    waiting = latest.map(lambda x: x.get("state") == "pending")
    returned = latest.map(lambda x: x.get("state") == "returned") & board["received_at"].isna()
    shown = waiting | returned   # the waiting or returned file stands for the period
    if shown.any():
        for column, key in (("received_at", "at"), ("submission_id", "id"), ("file_name", "file")):
            board[column] = board[column].astype(object).where(~shown, latest.map(lambda x, k=key: x.get(k)))
        board["received_at"] = pd.to_datetime(board["received_at"])
    board["reason"] = latest.map(lambda x: x.get("reason")).where(returned, None)

    def status(r) -> str:
        if r.waiting:
            return PENDING
        if r.returned:
            return REJECTED
        if pd.notna(r.received_at):
            return ON_TIME if r.received_at.date() <= r.deadline else LATE
        if r.rejected is True:
            return REJECTED
        return MISSING if r.deadline < today else NOT_DUE

    def days_late(r) -> int:
        until = r.received_at.date() if pd.notna(r.received_at) and not r.returned else today
        return max(0, (until - r.deadline).days)

    flags = board.assign(waiting=waiting, returned=returned)
    board["status"] = flags.apply(status, axis=1)
    board["days_late"] = flags.apply(days_late, axis=1)
    return board.drop(columns=["rejected", "latest"]).sort_values(["department_code", "period_end"]).reset_index(
        drop=True)


def reporting_rates(board: pd.DataFrame) -> pd.DataFrame:
    """Per department and overall (department "合计"):
    reporting rate = (按时 + 逾期) ÷ due; on-time rate = 按时 ÷ due; due excludes 未到期. A 待审核 report is due
    and not yet counted as reported: once approved it is 按时 or 逾期 by when it was received."""
    due = board[board["status"] != NOT_DUE]
    grouped = due.groupby(["department_code", "department"]).agg(
        due=("status", "size"), on_time=("status", lambda s: (s == ON_TIME).sum()),
        late=("status", lambda s: (s == LATE).sum()), missing=("status", lambda s: (s == MISSING).sum()),
        rejected=("status", lambda s: (s == REJECTED).sum()),
        pending=("status", lambda s: (s == PENDING).sum())).reset_index()
    total = grouped[["due", "on_time", "late", "missing", "rejected", "pending"]].sum()
    grouped = pd.concat([grouped, pd.DataFrame([{"department_code": "", "department": "合计", **total}])],
                        ignore_index=True)
    grouped["reporting_rate"] = (grouped["on_time"] + grouped["late"]) / grouped["due"]
    grouped["on_time_rate"] = grouped["on_time"] / grouped["due"]
    return grouped
