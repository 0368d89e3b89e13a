"""Roles are enforced where the warehouse changes (issue 13): every write function, called as each role, either
makes its change with one audit row in the same transaction, or raises NotAllowed with a Chinese message and
leaves the warehouse exactly as it was. A 填报员's file for another department is kept and recorded as refused,
nothing of it loaded. Expected outcomes are the issue's table, written out by hand below."""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from conftest import count_rows, long_rows, xlsx
from ingest.catalog import load_catalog
from ingest.evidence import attach_doc_number, attach_file
from ingest.package import receive_package
from ingest.pipeline import REFUSED, receive, revert_to
from meetings.records import DONE, add_action_item, set_action_item_state, start_meeting
from accounts import add, disable, enable, reset_password
from warehouse.access import (ACCOUNTS, ACTION_ITEM, ADMIN, APPROVE, BACKUP, CATALOG, MEETING, PACKAGE, READ_AUDIT,
                              REPORTER, RESTORE, RETURN, REVERT, TASK_EVIDENCE, UPLOAD, UPLOAD_OTHER, VIEWER, Actor,
                              NotAllowed, allowed, personal_actor, require)
from warehouse.db import connect

pytestmark = pytest.mark.usefixtures("fast_hashes")

T = dt.datetime(2026, 3, 2, 9)
ADMIN_ACTOR = Actor("王敏", ADMIN, None, "10.0.0.2", 1)
REPORTER_ACTOR = Actor("张三", REPORTER, "WJW", "10.0.0.7", 2)     # 卫生健康委
VIEWER_ACTOR = Actor("李四", VIEWER, None, "10.0.0.9", 3)
ACTORS = {ADMIN: ADMIN_ACTOR, REPORTER: REPORTER_ACTOR, VIEWER: VIEWER_ACTOR}
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"


# ------------------------------------------------------------------ the permission table
# (action, department asked about) → which roles may, as the issue states it
TABLE = [
    (UPLOAD, None, {ADMIN, REPORTER}), (UPLOAD, "WJW", {ADMIN, REPORTER}), (UPLOAD, "JYJ", {ADMIN}),
    (UPLOAD_OTHER, None, {ADMIN}), (APPROVE, None, {ADMIN}), (RETURN, None, {ADMIN}), (REVERT, None, {ADMIN}),
    (CATALOG, None, {ADMIN}), (MEETING, None, {ADMIN}), (ACTION_ITEM, None, {ADMIN}),
    (TASK_EVIDENCE, ("WJW", "FGW"), {ADMIN, REPORTER}), (TASK_EVIDENCE, ("TSW", "JYJ"), {ADMIN}),
    (PACKAGE, None, {ADMIN}), (ACCOUNTS, None, {ADMIN}), (BACKUP, None, {ADMIN}), (RESTORE, None, {ADMIN}),
    (READ_AUDIT, None, {ADMIN}),   # 操作记录 is a 管理员's page
]


@pytest.mark.parametrize("action,department,roles", TABLE)
def test_the_permission_table(action, department, roles):
    for role, actor in ACTORS.items():
        assert allowed(actor, action, department) == (role in roles), (role, action, department)


def test_personal_mode_is_an_administrator_named_by_the_sidebar_or_the_computer():
    assert personal_actor("  王 敏 ") == Actor("王 敏", ADMIN)
    me = personal_actor()
    assert me.role == ADMIN and me.name and me.account_id is None and me.department is None
    assert personal_actor("王敏", address="命令行").address == "命令行"


def test_a_refusal_says_who_what_why_and_what_to_do():
    names = {"WJW": "卫生健康委", "JYJ": "教育局"}
    with pytest.raises(NotAllowed) as e:
        require(REPORTER_ACTOR, UPLOAD, "JYJ", names)
    assert str(e.value) == ("账号 张三（填报员，卫生健康委）不能为 教育局 上传数据：填报员只能上传本部门的文件。"
                            "请由教育局的填报员上传，或联系管理员。")
    with pytest.raises(NotAllowed) as e:
        require(VIEWER_ACTOR, CATALOG)
    assert str(e.value) == "账号 李四（查看者）不能更换指标体系：查看者只能查看，不能修改数据。如需更换指标体系，请联系管理员。"
    with pytest.raises(NotAllowed) as e:
        require(REPORTER_ACTOR, REVERT, names=names)
    assert str(e.value) == "账号 张三（填报员，卫生健康委）不能恢复历史报送：只有管理员可以恢复历史报送。请联系管理员。"
    require(ADMIN_ACTOR, CATALOG)   # no exception


# ------------------------------------------------------------------ a 填报员's file for another department
def _file(tmp_path, name, *rows, header=None) -> bytes:
    data = xlsx([*(header or []), *long_rows(*rows)])
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / name).write_bytes(data)
    return tmp_path / "in" / name


def audit(con) -> list[tuple]:
    return con.execute("SELECT actor, role, department_code, account_id, address, action, object_kind, object_id, "
                       "detail FROM audit_log ORDER BY id").fetchall()


def test_a_reporter_cannot_load_another_departments_file(warehouse, tmp_path):
    archive = tmp_path / "archive"
    before = len(audit(warehouse))
    path = _file(tmp_path, "教育局_2025.xlsx", ["PS-01", "德城区", 2025, 900, 1000, None])
    r = receive(warehouse, path, archive, department="教育局", received_at=T, actor=REPORTER_ACTOR)
    assert r.status == REFUSED and r.refused and r.rows == 0 and r.submission_id is None
    assert r.errors[0].message == ("账号 张三（填报员，卫生健康委）不能为 教育局 上传数据：填报员只能上传本部门的文件。"
                                   "请由教育局的填报员上传，或联系管理员。")
    assert count_rows(warehouse, "observation") == 0 and count_rows(warehouse, "submission") == 0
    # the file is kept, as every file received is, and its receipt says who sent it and that it was refused
    assert list(archive.glob("*/*.xlsx")) and "教育局_2025.xlsx" in (archive / "receipts.jsonl").read_text("utf-8")
    assert warehouse.execute("SELECT file_name, received_by, outcome, submission_id FROM receipt").fetchall() == [
        ("教育局_2025.xlsx", "张三", "refused", None)]
    rows = audit(warehouse)[before:]
    assert len(rows) == 1
    assert rows[0][:7] == ("张三", REPORTER, "WJW", 2, "10.0.0.7", "upload", "receipt")
    assert rows[0][8].startswith("教育局_2025.xlsx：已拒收。账号 张三（填报员，卫生健康委）不能为 教育局 上传数据")


def test_a_reporter_cannot_report_for_another_department_under_its_own_name(warehouse, tmp_path):
    """代报: the file says 卫生健康委 but holds 教育局's PS-01, which 卫生健康委 neither leads nor works on."""
    path = _file(tmp_path, "卫健委_代报.xlsx", ["PS-04", "德城区", 2025, 9, 1000, None],
                 ["PS-01", "德城区", 2025, 900, 1000, None])
    r = receive(warehouse, path, tmp_path / "archive", department="卫健委", received_at=T, actor=REPORTER_ACTOR)
    assert r.status == REFUSED and "不能为 教育局 上传数据" in r.errors[0].message
    assert count_rows(warehouse, "observation") == 0
    # PS-05 is 教育局's with 卫生健康委 as a co-department: the reporter may send it
    path = _file(tmp_path, "卫健委_配合.xlsx", ["PS-04", "德城区", 2025, 9, 1000, None],
                 ["PS-05", "德城区", 2025, None, None, 3])
    r = receive(warehouse, path, tmp_path / "archive", department="卫健委", received_at=T, actor=REPORTER_ACTOR)
    assert r.status == "accepted", r.problems
    assert warehouse.execute("SELECT received_by FROM submission").fetchall() == [("张三",)]
    assert audit(warehouse)[-1][:7] == ("张三", REPORTER, "WJW", 2, "10.0.0.7", "upload", "submission")


def test_a_copy_of_another_departments_accepted_file_is_refused_too(warehouse, tmp_path):
    path = _file(tmp_path, "教育局_2025.xlsx", ["PS-01", "德城区", 2025, 900, 1000, None])
    assert receive(warehouse, path, tmp_path / "archive", department="教育局", received_at=T).status == "accepted"
    r = receive(warehouse, path, tmp_path / "archive", received_at=T, actor=REPORTER_ACTOR)
    assert r.status == REFUSED and r.problems[0].rule == "not_own_department"
    assert warehouse.execute("SELECT outcome FROM receipt ORDER BY id").fetchall() == [("accepted",), ("refused",)]


# ------------------------------------------------------------------ each write function as each role
def _snapshot(con) -> dict:
    names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    return {n: sorted(map(repr, con.execute("SELECT * FROM " + n).fetchall())) for n in names}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, catalog, catalog_bytes):
    """A warehouse with the real catalog, one accepted 卫生健康委 file, a meeting with one item, a disabled
    account (赵六) and an enabled one (周八): built once, copied for each test."""
    folder = tmp_path_factory.mktemp("prepared")
    con = connect(folder / "w.duckdb")
    admin = personal_actor("管理员甲")
    load_catalog(con, catalog, catalog_bytes, "catalog.xlsx", T, actor=admin)
    path = _file(folder, "卫健委_2025.xlsx", ["PS-04", "德城区", 2025, 9, 1000, None])
    first = receive(con, path, folder / "archive", department="卫健委", received_at=T, actor=admin)
    meeting = start_meeting(con, "第1次", at=T, actor=admin)
    item = add_action_item(con, meeting, "WJW", "补报", dt.date(2026, 3, 16), "PS-04", actor=admin)
    add(con, "王敏", ADMIN, "管理员的足够长的密码", actor=admin, at=T)
    add(con, "赵六", VIEWER, "长长的旧密码一二三", actor=admin, at=T)
    disable(con, "赵六", actor=admin, at=T)
    add(con, "周八", VIEWER, "另一个足够长的密码", actor=admin, at=T)
    con.close()
    return folder, {"submission": first.submission_id, "meeting": meeting, "item": item}


@pytest.fixture
def ready(prepared, tmp_path, catalog, catalog_bytes):
    folder, ids = prepared
    shutil.copy(folder / "w.duckdb", tmp_path / "w.duckdb")
    shutil.copytree(folder / "archive", tmp_path / "archive")
    con = connect(tmp_path / "w.duckdb")
    yield {"con": con, "tmp": tmp_path, "catalog": (catalog, catalog_bytes), **ids}
    con.close()


def _accepted(result):
    assert result.status == "accepted", result.problems
    return result


def _catalog_again(r, actor):
    catalog, data = r["catalog"]
    return load_catalog(r["con"], catalog, data, "catalog_v2.xlsx", T, actor=actor)


WRITES = {
    "receive": (lambda r, a: _accepted(receive(r["con"], _file(r["tmp"], "卫健委_PS-09.xlsx",
                                                               ["PS-09", "德城区", 2025, 90, 100, None]),
                                               r["tmp"] / "archive", department="卫健委", received_at=T, actor=a)),
                {ADMIN, REPORTER}, "upload"),
    "revert_to": (lambda r, a: revert_to(r["con"], r["submission"], at=T, actor=a), {ADMIN}, "revert"),
    "load_catalog": (_catalog_again, {ADMIN}, "catalog"),
    "attach_file own task": (lambda r, a: attach_file(r["con"], "T-01", PDF, "纪要.pdf", at=T, actor=a),
                             {ADMIN, REPORTER}, "task_evidence"),
    "attach_file other task": (lambda r, a: attach_file(r["con"], "T-02", PDF, "纪要.pdf", at=T, actor=a),
                               {ADMIN}, "task_evidence"),
    "attach_doc_number own task": (lambda r, a: attach_doc_number(r["con"], "T-01", "德卫发〔2026〕1号", at=T, actor=a),
                                   {ADMIN, REPORTER}, "task_evidence"),
    "attach_doc_number other task": (lambda r, a: attach_doc_number(r["con"], "T-02", "德团发〔2026〕2号", at=T,
                                                                    actor=a), {ADMIN}, "task_evidence"),
    "receive_package": (lambda r, a: receive_package(r["con"], None, {}, "空文件夹", r["tmp"] / "archive", T, actor=a),
                        {ADMIN}, None),   # refused by its checks: no change, so no audit row
    "start_meeting": (lambda r, a: start_meeting(r["con"], "第2次", at=T, actor=a), {ADMIN}, "meeting"),
    "add_action_item": (lambda r, a: add_action_item(r["con"], r["meeting"], "WJW", "两周内补报", dt.date(2026, 3, 16),
                                                     at=T, actor=a), {ADMIN}, "action_item"),
    "set_action_item_state": (lambda r, a: set_action_item_state(r["con"], r["item"], DONE, "已补报", at=T, actor=a),
                              {ADMIN}, "action_item"),
    "accounts.add": (lambda r, a: add(r["con"], "孙七", REPORTER, "一个足够长的密码", "卫生健康委", actor=a, at=T),
                     {ADMIN}, "account_add"),
    "accounts.disable": (lambda r, a: disable(r["con"], "周八", actor=a, at=T), {ADMIN}, "account_disable"),
    "accounts.enable": (lambda r, a: enable(r["con"], "赵六", actor=a, at=T), {ADMIN}, "account_enable"),
    "accounts.reset_password": (lambda r, a: reset_password(r["con"], "赵六", "全新的长密码四五六", actor=a, at=T),
                                {ADMIN}, "account_reset"),
}


@pytest.mark.parametrize("role", [ADMIN, REPORTER, VIEWER])
@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_function_as_each_role(ready, write, role):
    con, actor = ready["con"], ACTORS[role]
    call, roles, action = WRITES[write]
    before = _snapshot(con)
    journal = (ready["tmp"] / "archive" / "journal.jsonl").read_text("utf-8")
    if role in roles:
        call(ready, actor)
        added = audit(con)[len(before["audit_log"]):]
        assert [row[5] for row in added][-1:] == ([action] if action else [])
        for row in added:   # every change is recorded under the actor, from its address
            assert row[:5] == (actor.name, actor.role, actor.department, actor.account_id, actor.address)
    else:
        with pytest.raises(NotAllowed) as e:
            call(ready, actor)
        message = str(e.value)
        assert re.search(r"[\u4e00-\u9fff]", message) and actor.name in message and actor.role in message
        assert "不能" in message and "请" in message
        assert _snapshot(con) == before   # nothing changed: no row, no audit row
        assert (ready["tmp"] / "archive" / "journal.jsonl").read_text("utf-8") == journal


def test_the_viewer_is_refused_before_a_file_is_even_kept(warehouse, tmp_path):
    path = _file(tmp_path, "卫健委_2025.xlsx", ["PS-04", "德城区", 2025, 9, 1000, None])
    with pytest.raises(NotAllowed, match="查看者只能查看"):
        receive(warehouse, path, tmp_path / "archive", department="卫健委", actor=VIEWER_ACTOR)
    archive = tmp_path / "archive"   # holds the catalog's workbook only
    assert not (archive / "receipts.jsonl").exists() and {p.parent.name for p in archive.glob("*/*")} == {"catalog"}
    assert count_rows(warehouse, "receipt") == 0


def test_a_personal_mode_change_is_recorded_under_the_name_given(warehouse, tmp_path):
    path = _file(tmp_path, "卫健委_2025.xlsx", ["PS-04", "德城区", 2025, 9, 1000, None])
    r = receive(warehouse, path, tmp_path / "archive", department="卫健委", received_at=T, received_by="王敏")
    assert r.status == "accepted"
    last = warehouse.execute("SELECT occurred_at, actor, role, account_id, action, object_kind, object_id, detail "
                             "FROM audit_log ORDER BY id DESC LIMIT 1").fetchall()[0]
    assert last == (T, "王敏", ADMIN, None, "upload", "submission", str(r.submission_id), "卫健委_2025.xlsx：已接收，1 行")
