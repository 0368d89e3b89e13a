"""Approval (issue 13): in server mode a department's accepted file is 待审核 and changes no figure until a
管理员 approves it; returned with a reason it never counts; reopened it stops counting. As-of and past meetings
see what was approved by then; every decision is an audit row and a journal line that a rebuild replays.
Expected figures are worked out by hand on the tiny catalog (R-UP: a rate, 卫健委, yearly; 甲区 = 101)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest

from conftest import long_rows, mini_warehouse, table_frames, xlsx
from accounts import add
from ingest import approval
from ingest.__main__ import main as ingest_main
from ingest.approval import (ApprovalRefused, approval_required, approve, decisions, pending, reopen, return_submission,
                             returned, state)
from ingest.pipeline import receive, revert_to
from metrics.__main__ import main as metrics_main
from metrics.board import LATE, ON_TIME, PENDING, REJECTED, reporting_rates, submission_board
from metrics.progress import progress_table
from warehouse.access import ADMIN, REPORTER, VIEWER, Actor, NotAllowed, personal_actor
from warehouse.config import settings
from warehouse.db import connect, data_version

pytestmark = pytest.mark.usefixtures("fast_hashes")

T = dt.datetime(2026, 1, 10, 9)
ADMIN_ACTOR = Actor("王敏", ADMIN, None, "10.0.0.2", 1)
REPORTER_ACTOR = Actor("张三", REPORTER, "WJW", "10.0.0.7", 2)
VIEWER_ACTOR = Actor("李四", VIEWER, None, "10.0.0.9", 3)
JIA = "101"


def at(hours: float) -> dt.datetime:
    return T + dt.timedelta(hours=hours)


def server(m) -> None:
    """Server mode: the warehouse holds accounts (a 管理员 first, as it must be, and 张三)."""
    add(m.con, "王敏", ADMIN, "一个足够长的密码", actor=personal_actor("初始管理员"), at=T)
    add(m.con, "张三", REPORTER, "一个足够长的密码", "卫生健康委", actor=personal_actor("初始管理员"), at=T)


def send(m, tmp_path, numerator: int, hours: float, name: str | None = None, data: bytes | None = None,
         actor: Actor = REPORTER_ACTOR):
    """卫健委's file: R-UP for 甲区 in 2025, numerator / 100."""
    name = name or f"卫健委_{numerator}.xlsx"
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data or xlsx(long_rows(["R-UP", "甲区", 2025, numerator, 100, None])))
    result = receive(m.con, path, tmp_path / "archive", department="卫健委", received_at=at(hours), actor=actor)
    assert result.status == "accepted", result.problems
    return result


def value(con, as_of: dt.datetime | None = None) -> float | None:
    """R-UP for 甲区 in 2025 as progress_table gives it (None: no figure)."""
    table = progress_table(con, 2025, as_of)
    row = table[(table["indicator"] == "R-UP") & (table["district_code"] == JIA) & (table["year"] == 2025)]
    assert len(row) == 1
    v = row.iloc[0]["value"]
    return None if pd.isna(v) else round(float(v), 6)


def audit(con, action: str) -> list[tuple]:
    return con.execute("SELECT actor, role, object_kind, object_id, detail FROM audit_log WHERE action = ? "
                       "ORDER BY id", [action]).fetchall()


@pytest.fixture
def m(tmp_path):
    m = mini_warehouse(tmp_path)
    server(m)
    yield m
    m.con.close()


# ------------------------------------------------------------------ when approval is required
def test_approval_follows_the_mode_and_the_setting(tmp_path, monkeypatch):
    m = mini_warehouse(tmp_path)
    assert settings().approval_required == "auto" and not approval_required(m.con)   # personal mode
    server(m)
    assert approval_required(m.con)
    for setting, expected in ((True, True), (False, False)):
        monkeypatch.setattr(approval, "settings", lambda s=setting: dataclasses.replace(settings(), approval_required=s))
        assert approval_required(m.con) is expected
    m.con.close()


def test_personal_mode_counts_a_file_at_once(tmp_path):
    m = mini_warehouse(tmp_path)
    r = send(m, tmp_path, 90, 0, actor=personal_actor("王敏"))
    assert not r.pending and "pending" not in r.as_json()
    assert value(m.con) == 90.0 and pending(m.con).empty and state(m.con, r.submission_id) == "approved"
    assert m.con.execute("SELECT needs_approval FROM submission").fetchall() == [(False,)]
    m.con.close()


def test_required_true_makes_personal_mode_files_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(approval, "settings", lambda: dataclasses.replace(settings(), approval_required=True))
    m = mini_warehouse(tmp_path)
    r = send(m, tmp_path, 90, 0, actor=personal_actor("王敏"))
    assert r.pending and value(m.con) is None
    approve(m.con, r.submission_id, personal_actor("王敏"), at(1))
    assert value(m.con) == 90.0
    m.con.close()


def test_required_false_in_server_mode_counts_at_once(m, tmp_path, monkeypatch):
    monkeypatch.setattr(approval, "settings", lambda: dataclasses.replace(settings(), approval_required=False))
    assert not send(m, tmp_path, 90, 0).pending and value(m.con) == 90.0


# ------------------------------------------------------------------ the life of a file
def test_waiting_approved_returned_resubmitted_reopened(m, tmp_path):
    con = m.con
    first = send(m, tmp_path, 90, 0)
    assert first.pending and first.as_json()["pending"] is True and first.rows == 1
    assert value(con) is None                                     # 待审核: no figure yet
    waiting = pending(con)
    assert waiting[["id", "file_name", "department", "periods", "received_by", "n_rows"]].values.tolist() == [
        [first.submission_id, "卫健委_90.xlsx", "卫生健康委", "2025", "张三", 1]]
    assert waiting["received_at"].tolist() == [pd.Timestamp(at(0))]

    version = data_version(con)
    approve(con, first.submission_id, ADMIN_ACTOR, at(1))
    assert data_version(con) == version + 1                       # caches keyed on it refresh
    assert value(con) == 90.0 and pending(con).empty              # 90 / 100 × 100

    second = send(m, tmp_path, 95, 2)                             # a revision waits: 90 still counts
    assert second.pending and value(con) == 90.0
    return_submission(con, second.submission_id, "  分母与卫健委年报不一致，请核对  ", ADMIN_ACTOR, at(3))
    assert value(con) == 90.0 and state(con, second.submission_id) == "returned"
    back = returned(con, "WJW")
    assert back[["id", "file_name", "reason", "returned_by"]].values.tolist() == [
        [second.submission_id, "卫健委_95.xlsx", "分母与卫健委年报不一致，请核对", "王敏"]]
    assert back["returned_at"].tolist() == [pd.Timestamp(at(3))] and returned(con, "FL").empty

    # the same bytes sent again start again (not a duplicate of the returned copy), and so does a corrected file
    again = send(m, tmp_path, 95, 4, name="卫健委_95_再报.xlsx", data=(tmp_path / "in" / "卫健委_95.xlsx").read_bytes())
    assert again.status == "accepted" and again.pending and again.submission_id != second.submission_id
    return_submission(con, again.submission_id, "仍未修改", ADMIN_ACTOR, at(4.5))
    third = send(m, tmp_path, 96, 5)
    assert third.pending and value(con) == 90.0
    approve(con, third.submission_id, ADMIN_ACTOR, at(6))
    assert value(con) == 96.0

    reopen(con, third.submission_id, "核查数据来源", ADMIN_ACTOR, at(7))   # back to 待审核: the approved 90 counts again
    assert value(con) == 90.0 and state(con, third.submission_id) == "pending"
    assert pending(con)[["id", "reopened", "reason"]].values.tolist() == [[third.submission_id, True, "核查数据来源"]]
    assert decisions(con, third.submission_id)[["decision", "actor", "reason"]].fillna("").values.tolist() == [
        ["approved", "王敏", ""], ["reopened", "王敏", "核查数据来源"]]

    # as of a moment, as a past meeting sees it: what was approved by then
    assert [value(con, at(h)) for h in (0.5, 1.5, 3.5, 5.5, 6.5, 7.5)] == [None, 90.0, 90.0, 90.0, 96.0, 90.0]

    # every decision is an audit row under the 管理员, with its reason
    rows = audit(con, "approve") + audit(con, "return") + audit(con, "reopen")
    assert [r[:4] for r in rows] == [("王敏", ADMIN, "submission", str(i)) for i in (
        first.submission_id, third.submission_id, second.submission_id, again.submission_id, third.submission_id)]
    assert rows[0][4] == "卫健委_90.xlsx：审核通过"
    assert rows[2][4] == "卫健委_95.xlsx：退回。原因：分母与卫健委年报不一致，请核对"
    assert rows[4][4] == "卫健委_96.xlsx：重新打开。原因：核查数据来源"
    assert audit(con, "upload")[0][4] == "卫健委_90.xlsx：已接收，1 行，待审核"


def test_decisions_the_state_does_not_allow_are_refused_in_chinese(m, tmp_path):
    con = m.con
    r = send(m, tmp_path, 90, 0)
    with pytest.raises(ApprovalRefused, match="第 99 号报送不存在"):
        approve(con, 99, ADMIN_ACTOR)
    with pytest.raises(ApprovalRefused, match="须填写原因"):
        return_submission(con, r.submission_id, "   ", ADMIN_ACTOR)
    with pytest.raises(ApprovalRefused, match="只有已审核通过的报送才能重新打开"):
        reopen(con, r.submission_id, "复核", ADMIN_ACTOR)
    approve(con, r.submission_id, ADMIN_ACTOR, at(1))
    with pytest.raises(ApprovalRefused, match="已审核通过"):
        approve(con, r.submission_id, ADMIN_ACTOR)
    with pytest.raises(ApprovalRefused, match="请先「重新打开」"):
        return_submission(con, r.submission_id, "错了", ADMIN_ACTOR)
    reopen(con, r.submission_id, "复核", ADMIN_ACTOR, at(2))
    return_submission(con, r.submission_id, "数据有误", ADMIN_ACTOR, at(3))
    with pytest.raises(ApprovalRefused, match="已退回（原因：数据有误）"):
        approve(con, r.submission_id, ADMIN_ACTOR)
    with pytest.raises(ValueError, match="尚未审核通过"):   # a revert cannot bring back what was never approved
        revert_to(con, r.submission_id, actor=ADMIN_ACTOR)
    assert len(decisions(con, r.submission_id)) == 3


def _snapshot(con) -> dict:
    names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    return {n: sorted(map(repr, con.execute("SELECT * FROM " + n).fetchall())) for n in names}


@pytest.mark.parametrize("actor", [REPORTER_ACTOR, VIEWER_ACTOR], ids=["填报员", "查看者"])
def test_only_an_administrator_decides(m, tmp_path, actor):
    con = m.con
    waiting = send(m, tmp_path, 90, 0)
    approved = send(m, tmp_path, 80, 1, name="卫健委_乙.xlsx",
                    data=xlsx(long_rows(["R-UP", "乙县", 2025, 80, 100, None])))
    approve(con, approved.submission_id, ADMIN_ACTOR, at(2))
    before = _snapshot(con)
    journal = (tmp_path / "archive" / "journal.jsonl").read_text("utf-8")
    for call in (lambda: approve(con, waiting.submission_id, actor),
                 lambda: return_submission(con, waiting.submission_id, "不对", actor),
                 lambda: reopen(con, approved.submission_id, "复核", actor)):
        with pytest.raises(NotAllowed) as e:
            call()
        assert actor.name in str(e.value) and "不能" in str(e.value)
    assert _snapshot(con) == before and (tmp_path / "archive" / "journal.jsonl").read_text("utf-8") == journal


def test_an_administrators_revert_counts_at_once(m, tmp_path):
    first = send(m, tmp_path, 90, 0)
    approve(m.con, first.submission_id, ADMIN_ACTOR, at(1))
    second = send(m, tmp_path, 96, 2)
    approve(m.con, second.submission_id, ADMIN_ACTOR, at(3))
    assert value(m.con) == 96.0
    new = revert_to(m.con, first.submission_id, at=at(4), actor=ADMIN_ACTOR)
    assert value(m.con) == 90.0 and state(m.con, new) == "approved" and pending(m.con).empty


# ------------------------------------------------------------------ the board
def test_the_board_shows_waiting_and_returned_reports(m, tmp_path):
    con = m.con
    def row(as_of):
        board = submission_board(con, as_of)
        return board[(board["department_code"] == "WJW") & (board["period"] == "2025")].iloc[0]

    r = send(m, tmp_path, 90, 0)                                 # received 2026-01-10, due 2026-01-31
    waiting = row(at(1))
    assert waiting["status"] == PENDING and waiting["file_name"] == "卫健委_90.xlsx"
    assert waiting["received_at"] == pd.Timestamp(at(0))
    rates = reporting_rates(submission_board(con, at(1))).set_index("department")
    assert rates.loc["卫生健康委", "pending"] == 1 and rates.loc["卫生健康委", "on_time"] == 0
    return_submission(con, r.submission_id, "分母有误", ADMIN_ACTOR, at(2))
    back = row(at(3))
    assert back["status"] == REJECTED and back["reason"] == "分母有误" and back["file_name"] == "卫健委_90.xlsx"
    assert row(at(1))["status"] == PENDING                     # as it stood then
    fixed = send(m, tmp_path, 91, 4)
    assert row(at(5))["status"] == PENDING
    approve(con, fixed.submission_id, ADMIN_ACTOR, dt.datetime(2026, 2, 5))   # approved after the deadline …
    assert row(dt.datetime(2026, 2, 6))["status"] == ON_TIME     # … but sent on time
    late = send(m, tmp_path, 92, 24 * 30)                       # a revision after the deadline, waiting
    assert row(dt.datetime(2026, 2, 10))["status"] == PENDING
    approve(con, late.submission_id, ADMIN_ACTOR, dt.datetime(2026, 2, 10, 12))
    assert row(dt.datetime(2026, 2, 11))["status"] == ON_TIME   # the first approved file decides punctuality
    assert LATE != PENDING


# ------------------------------------------------------------------ the journal
_tables = table_frames


def test_a_rebuild_reproduces_every_decision(m, tmp_path, capsys):
    con = m.con
    a = send(m, tmp_path, 90, 0)
    approve(con, a.submission_id, ADMIN_ACTOR, at(1))
    b = send(m, tmp_path, 95, 2)
    return_submission(con, b.submission_id, "分母有误", ADMIN_ACTOR, at(3))
    c = send(m, tmp_path, 96, 4)
    approve(con, c.submission_id, ADMIN_ACTOR, at(5))
    reopen(con, c.submission_id, "复核", ADMIN_ACTOR, at(6))
    send(m, tmp_path, 97, 7)                                     # still waiting
    con.close()
    rebuilt = tmp_path / "rebuilt" / "w.duckdb"
    assert ingest_main(["rebuild", "--from", str(tmp_path / "archive"), "--db", str(rebuilt)]) == 0
    before, after = _tables(tmp_path / "mini.duckdb"), _tables(rebuilt)
    assert before.keys() == after.keys() and len(before["approval_event"]) == 4
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    assert (rebuilt.parent / "archive" / "journal.jsonl").read_text("utf-8") == \
        (tmp_path / "archive" / "journal.jsonl").read_text("utf-8")   # and it can be rebuilt again
    again = connect(rebuilt)
    assert value(again) == 90.0 and pending(again)["file_name"].tolist() == ["卫健委_96.xlsx", "卫健委_97.xlsx"]
    again.close()
    m.con = connect(tmp_path / "mini.duckdb")                    # for the fixture to close


# ------------------------------------------------------------------ the command line
def _run(main, capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _report(capsys, db) -> list:
    code, out, _ = _run(metrics_main, capsys, "report", "--db", db, "--year", 2025, "--level", "district",
                        "--format", "json")
    assert code == 0
    return [(r["district_code"], r["value"]) for r in json.loads(out) if r["indicator"] == "R-UP"
            and r["value"] is not None]


def test_the_command_line_queues_in_server_mode_and_decides(m, tmp_path, capsys):
    db = tmp_path / "mini.duckdb"
    m.con.close()
    path = tmp_path / "卫健委_2025.xlsx"
    path.write_bytes(xlsx(long_rows(["R-UP", "甲区", 2025, 90, 100, None])))

    # one writer: the command line does not write, it queues in the inbox
    code, out, err = _run(ingest_main, capsys, "load", "--db", db, "--department", "卫健委", "--json", path)
    assert code == 0 and json.loads(out) == [{"file": "卫健委_2025.xlsx", "status": "queued"}]
    assert "服务器模式" in err and "等待管理员审核" in err
    con = connect(db)
    assert con.execute("SELECT count(*) FROM submission").fetchall() == [(0,)]
    con.close()
    code, out, _ = _run(ingest_main, capsys, "drain", "--db", db, "--json")
    loaded = json.loads(out)
    assert code == 0 and [(r["status"], r["pending"], r["rows"]) for r in loaded] == [("accepted", True, 1)]
    assert _report(capsys, db) == []                             # 待审核: no figure in the report

    code, out, _ = _run(ingest_main, capsys, "pending", "--db", db, "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["file"], r["department"], r["periods"], r["rows"]) for r in rows] == [
        ("卫健委_2025.xlsx", "卫生健康委", "2025", 1)]
    ident = rows[0]["id"]
    assert {"id", "file", "department", "periods", "received"} <= rows[0].keys()
    code, out, _ = _run(ingest_main, capsys, "pending", "--db", db)
    assert "卫健委_2025.xlsx" in out and "共 1 份待审核" in out

    code, out, _ = _run(ingest_main, capsys, "approve", ident, "--db", db)
    assert code == 0 and "已审核通过" in out
    assert _report(capsys, db) == [(JIA, 90.0)]
    assert json.loads(_run(ingest_main, capsys, "pending", "--db", db, "--json")[1]) == []

    code, _, err = _run(ingest_main, capsys, "return", ident, "--reason", "分母有误", "--db", db)
    assert code == 1 and "已审核通过" in err and "重新打开" in err
    code, out, _ = _run(ingest_main, capsys, "reopen", ident, "--reason", "复核口径", "--db", db)
    assert code == 0 and "已重新打开" in out and _report(capsys, db) == []
    code, out, _ = _run(ingest_main, capsys, "return", ident, "--reason", "分母有误", "--db", db)
    assert code == 0 and "已退回" in out
    code, _, err = _run(ingest_main, capsys, "approve", 99, "--db", db)
    assert code == 1 and "第 99 号报送不存在" in err
    con = connect(db)
    assert returned(con)["reason"].tolist() == ["分母有误"]
    assert [r[1] for r in con.execute("SELECT action, address FROM audit_log WHERE action IN "
                                      "('approve', 'return', 'reopen') ORDER BY id").fetchall()] == ["命令行"] * 3
    m.con = con


def test_the_command_line_loads_directly_in_personal_mode(tmp_path, capsys):
    m = mini_warehouse(tmp_path)
    m.con.close()
    path = tmp_path / "卫健委_2025.xlsx"
    path.write_bytes(xlsx(long_rows(["R-UP", "甲区", 2025, 90, 100, None])))
    code, out, _ = _run(ingest_main, capsys, "load", "--db", tmp_path / "mini.duckdb", "--department", "卫健委",
                        "--json", path)
    assert code == 0 and "pending" not in json.loads(out)[0] and json.loads(out)[0]["status"] == "accepted"
    assert _report(capsys, tmp_path / "mini.duckdb") == [(JIA, 90.0)]
