"""Accounts and logins (issue 13), checked by hand: the password is kept only as an Argon2id hash; five wrong
passwords lock the account for 15 minutes, even against the right one; a disabled account cannot log in; no
password ever reaches the audit trail, the journal, a message or `list`; every change and attempt is one audit
row; the command line round-trips; a rebuild from the journal brings accounts and their trail back."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from accounts import (AccountRefused, LoginFailed, add, authenticate, disable, enable, list_accounts, refresh,
                      reset_password, server_mode, session_expired)
from accounts.__main__ import main
from accounts.passwords import _HASHER as REAL_HASHER, verify
from warehouse import journal
from warehouse.access import ADMIN, REPORTER, VIEWER, Actor
from warehouse.audit import audit_rows
from warehouse.db import connect

pytestmark = pytest.mark.usefixtures("fast_hashes")   # the real cost is checked once, below

T = dt.datetime(2026, 3, 2, 9)
PASSWORD = "德州儿童友好2026"
WRONG = "德州儿童友好2025"
NEW = "新的长密码 七八九十"


def secrets_in(text: str) -> list[str]:
    return [p for p in (PASSWORD, WRONG, NEW) if p in text]


def trail(con) -> list[tuple]:
    """The audit rows after the catalog's load (the `warehouse` fixture's first row)."""
    return con.execute("SELECT occurred_at, actor, role, account_id, address, action, detail FROM audit_log "
                       "WHERE action <> 'catalog' ORDER BY id").fetchall()


def test_the_password_is_kept_only_as_a_hash_that_verifies(warehouse):
    assert not server_mode(warehouse)
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    assert server_mode(warehouse)
    stored = warehouse.execute("SELECT password_hash FROM account WHERE name = '王敏'").fetchall()[0][0]
    assert stored != PASSWORD and PASSWORD not in stored and stored.startswith("$argon2id$")
    assert verify(stored, PASSWORD) and not verify(stored, WRONG)
    # the same password twice gives two hashes (each has its own salt)
    add(warehouse, "李四", VIEWER, PASSWORD, at=T)
    assert len({r[0] for r in warehouse.execute("SELECT password_hash FROM account").fetchall()}) == 2
    listed = list_accounts(warehouse)
    assert "password_hash" not in listed.columns and not secrets_in(listed.to_csv())
    assert list(listed["name"]) == ["李四", "王敏"] and list(listed["role"]) == [VIEWER, ADMIN]


def test_the_real_hash_is_argon2id_at_rfc_9106s_low_memory_profile():
    from argon2 import Type
    assert (REAL_HASHER.type, REAL_HASHER.memory_cost, REAL_HASHER.time_cost, REAL_HASHER.parallelism) == (
        Type.ID, 65536, 3, 4)
    stored = REAL_HASHER.hash(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and verify(stored, PASSWORD) and not verify(stored, WRONG)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(warehouse):
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    add(warehouse, "张三", REPORTER, PASSWORD, "卫健委", at=T)
    messages = []
    for minute in range(5):
        with pytest.raises(LoginFailed) as e:
            authenticate(warehouse, "张三", WRONG, "10.0.0.7", now=T + dt.timedelta(minutes=minute))
        messages.append(str(e.value))
    assert messages[0] == "账号或密码不正确。连续输错 5 次，账号将锁定 15 分钟。"
    assert "账号锁定至 09:19" in messages[4]      # the fifth at 09:04, locked until 09:04 + 15 min
    assert warehouse.execute("SELECT failed_count, locked_until FROM account WHERE name = '张三'").fetchall() == [
        (0, T + dt.timedelta(minutes=19))]
    # the right password during the lock is refused too
    with pytest.raises(LoginFailed) as e:
        authenticate(warehouse, "张三", PASSWORD, "10.0.0.7", now=T + dt.timedelta(minutes=10))
    messages.append(str(e.value))
    assert messages[5] == "账号已锁定至 09:19（连续输错密码 5 次）。请到时再试，或请管理员重设密码。"
    with pytest.raises(LoginFailed):
        authenticate(warehouse, "张三", PASSWORD, "10.0.0.7", now=T + dt.timedelta(minutes=18, seconds=59))
    # fifteen minutes after the fifth wrong password, the right one works
    actor = authenticate(warehouse, "张三", PASSWORD, "10.0.0.7", now=T + dt.timedelta(minutes=19))
    assert actor == Actor("张三", REPORTER, "WJW", "10.0.0.7", 2)   # (the first account is the 管理员 王敏)
    assert warehouse.execute("SELECT failed_count, locked_until, last_login FROM account WHERE name = '张三'"
                             ).fetchall() == [
        (0, None, T + dt.timedelta(minutes=19))]
    assert not any(secrets_in(m) for m in messages)
    rows = trail(warehouse)
    assert [r[5] for r in rows] == ["account_add"] * 2 + ["login_failed"] * 7 + ["login"]
    assert all(r[1:5] == ("张三", REPORTER, 2, "10.0.0.7") for r in rows[2:])
    assert rows[2][6] == "密码错误，连续第 1 次" and rows[6][6] == "密码错误，已达上限，账号锁定至 2026-03-02 09:19"
    assert rows[7][6] == "账号锁定中（至 2026-03-02 09:19），未核对密码" and rows[9][6] == "登录成功"


def test_a_right_password_clears_the_count_of_wrong_ones(warehouse):
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    add(warehouse, "张三", VIEWER, PASSWORD, at=T)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            authenticate(warehouse, "张三", WRONG, now=T)
    authenticate(warehouse, "张三", PASSWORD, now=T)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            authenticate(warehouse, "张三", WRONG, now=T)
    assert authenticate(warehouse, "张三", PASSWORD, now=T).name == "张三"   # 4 + 4 wrong, never 5 in a row


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(warehouse):
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    add(warehouse, "李四", VIEWER, PASSWORD, at=T)
    session = authenticate(warehouse, "李四", PASSWORD, "10.0.0.9", now=T)
    assert refresh(warehouse, session) == session
    disable(warehouse, "李四", at=T)
    assert refresh(warehouse, session) is None
    with pytest.raises(LoginFailed, match="^账号已停用。如需使用，请联系管理员。$"):
        authenticate(warehouse, "李四", PASSWORD, now=T)
    with pytest.raises(LoginFailed, match="^账号或密码不正确"):   # a wrong password does not say it exists
        authenticate(warehouse, "李四", WRONG, now=T)
    enable(warehouse, "李四", at=T)
    assert authenticate(warehouse, "李四", PASSWORD, now=T).role == VIEWER


def test_an_unknown_name_is_refused_like_a_wrong_password_and_not_recorded(warehouse):
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    with pytest.raises(LoginFailed) as e:
        authenticate(warehouse, PASSWORD, PASSWORD, "10.0.0.5", now=T)   # the password typed into the name field
    assert str(e.value) == "账号或密码不正确。连续输错 5 次，账号将锁定 15 分钟。"
    last = trail(warehouse)[-1]
    assert last[1:6] == ("（不存在的账号）", "—", None, "10.0.0.5", "login_failed") and not secrets_in(repr(last))


def test_reset_sets_a_new_password_and_ends_a_lock(warehouse):
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    add(warehouse, "张三", VIEWER, PASSWORD, at=T)
    for _ in range(5):
        with pytest.raises(LoginFailed):
            authenticate(warehouse, "张三", WRONG, now=T)
    reset_password(warehouse, "张三", NEW, at=T)
    with pytest.raises(LoginFailed):
        authenticate(warehouse, "张三", PASSWORD, now=T)
    assert authenticate(warehouse, "张三", NEW, now=T).name == "张三"


def test_what_an_account_must_be(warehouse):
    def refused(*args, **kw) -> str:
        with pytest.raises(AccountRefused) as e:
            add(warehouse, *args, at=T, **kw)
        assert not secrets_in(str(e.value))
        return str(e.value)

    assert refused("张三", REPORTER, PASSWORD) == "填报员须指定所属部门（--department），如 卫生健康委。填报员只能上传本部门的文件。"
    assert refused("王敏", ADMIN, PASSWORD, "卫健委") == "管理员不属于某个部门，请去掉部门（--department）。只有填报员须指定部门。"
    assert refused("张三", REPORTER, PASSWORD, "卫计委").startswith("部门「卫计委」不在当前指标体系的「部门」表中。可选：")
    assert refused("张三", "老板", PASSWORD) == "角色只能是 管理员、填报员、查看者，填写的是「老板」。"
    assert refused("张三", VIEWER, "短密码") == "密码太短：至少 8 位。请用一句话或几个词组成的长密码。"
    assert refused("zhangsan123", VIEWER, "ZhangSan123") == "密码不能与账号名相同。"
    assert refused(" ", VIEWER, PASSWORD).startswith("账号名须为 1–40 个字")
    # the first account is a 管理员: with accounts the dashboard asks for a login, and someone must manage them
    assert refused("张三", VIEWER, PASSWORD).startswith("第一个账号必须是管理员")
    assert refused("张三", REPORTER, PASSWORD, "WJW").startswith("第一个账号必须是管理员")
    assert len(list_accounts(warehouse)) == 0
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    # a department by its code, name or alias
    for given in ("WJW", "卫生健康委", "市卫健委"):
        add(warehouse, f"填报员{given}", REPORTER, PASSWORD, given, at=T)
    assert set(list_accounts(warehouse)["department_code"].dropna()) == {"WJW"}
    assert refused("填报员WJW", REPORTER, PASSWORD, "WJW") == "账号「填报员WJW」已存在。请换一个账号名；如要重设它的密码，请用 reset。"
    assert len(list_accounts(warehouse)) == 4 and len(trail(warehouse)) == 4   # a refused add records nothing


def test_the_last_usable_administrator_cannot_be_disabled(warehouse):
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    with pytest.raises(AccountRefused, match="最后一个可用的管理员账号"):
        disable(warehouse, "王敏", at=T)
    add(warehouse, "刘强", ADMIN, PASSWORD, at=T)
    disable(warehouse, "王敏", at=T)
    assert dict(list_accounts(warehouse)[["name", "disabled"]].values) == {"王敏": True, "刘强": False}


def test_a_session_ends_after_the_idle_minutes():
    assert not session_expired(T, T + dt.timedelta(minutes=30))
    assert session_expired(T, T + dt.timedelta(minutes=30, seconds=1))


def test_the_trail_can_be_read_by_time_person_and_action(warehouse):
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)                       # by the computer's user, in personal mode
    authenticate(warehouse, "王敏", PASSWORD, "10.0.0.2", now=T + dt.timedelta(hours=1))
    assert len(audit_rows(warehouse)) == 3                             # with the catalog's load
    assert list(audit_rows(warehouse, since=T, until=T + dt.timedelta(hours=2))["action"]) == [
        "login", "account_add"]                                        # newest first
    assert list(audit_rows(warehouse, until=T + dt.timedelta(minutes=1))["action"]) == ["account_add"]
    assert list(audit_rows(warehouse, action="account_add")["detail"]) == ["添加账号 王敏（管理员）"]
    login = audit_rows(warehouse, actor="王敏")
    assert list(login["action"]) == ["login"] and list(login["address"]) == ["10.0.0.2"]


# ------------------------------------------------------------------ the command line
def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accounts", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=120)


def call(db, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """main(argv) in this process, with standard input and output captured."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([*args, "--db", str(db)])
            except SystemExit as e:
                code = e.code
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_round_trip(warehouse, tmp_path):
    db = tmp_path / "w.duckdb"
    warehouse.close()
    done = run("add", "--name", "王敏", "--role", "管理员", "--db", str(db), "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "已添加账号「王敏」（管理员）。\n数据库中有了第一个账号：看板从现在起需要登录（服务器模式）。\n"
    outputs = [done.stdout + done.stderr]
    for args, stdin, code in [
            (("add", "--name", "张三", "--role", "填报员", "--department", "卫生健康委", "--password-stdin"), PASSWORD, 0),
            (("add", "--name", "李四", "--role", "查看者", "--department", "卫生健康委", "--password-stdin"), PASSWORD, 1),
            (("add", "--name", "李四", "--role", "老板", "--password-stdin"), PASSWORD, 1),
            (("add", "--name", "李四", "--role", "查看者", "--password-stdin"), "", 1),     # no password given
            (("disable", "王敏"), "", 1),                                                   # the last 管理员
            (("disable", "张三"), "", 0), (("enable", "张三"), "", 0), (("disable", "无此人"), "", 1),
            (("reset", "张三", "--password-stdin"), NEW + "\n", 0)]:
        got, out, err = call(db, *args, stdin=stdin)
        assert got == code, (args, out, err)
        outputs.append(out + err)
    assert outputs[2].startswith("错误：查看者不属于某个部门") and outputs[5].startswith("错误：「王敏」是最后一个")
    done = run("list", "--db", str(db))
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "账号\t角色\t部门\t状态\t最近登录"
    assert sorted(lines[1:]) == ["张三\t填报员\t卫生健康委\t可用\t从未登录", "王敏\t管理员\t—\t可用\t从未登录"]
    outputs.append(done.stdout + done.stderr)
    assert not any(secrets_in(o) or "$argon2" in o for o in outputs)
    con = connect(db)
    assert authenticate(con, "张三", NEW, now=T).department == "WJW"
    rows = trail(con)
    assert [r[5] for r in rows] == ["account_add", "account_add", "account_disable", "account_enable", "account_reset",
                                    "login"]
    assert all(r[4] == "命令行" and r[2] == ADMIN for r in rows[:5])   # changed from the command line
    assert not any(secrets_in(repr(r)) for r in con.execute("SELECT * FROM audit_log").fetchall())
    con.close()
    assert not secrets_in((tmp_path / "archive" / "journal.jsonl").read_text("utf-8"))


def test_the_command_line_says_to_close_the_dashboard_first(warehouse, tmp_path):
    done = run("list", "--db", str(tmp_path / "w.duckdb"))   # the fixture's connection holds the warehouse
    assert done.returncode == 2 and done.stderr.startswith("错误：看板或导入命令正在使用数据库")
    assert "请先关闭看板" in done.stderr and "Traceback" not in done.stderr


# ------------------------------------------------------------------ rebuild and old warehouses
def test_a_rebuild_brings_back_the_accounts_and_their_trail(warehouse, tmp_path):
    import accounts  # noqa: F401  (registers how account changes and logins replay)
    import ingest.catalog  # noqa: F401
    add(warehouse, "王敏", ADMIN, PASSWORD, at=T)
    add(warehouse, "张三", REPORTER, PASSWORD, "卫健委", at=T)
    for minute in range(6):
        with pytest.raises(LoginFailed):
            authenticate(warehouse, "张三", WRONG, "10.0.0.7", now=T + dt.timedelta(minutes=minute))
    authenticate(warehouse, "王敏", PASSWORD, "10.0.0.2", now=T)
    with pytest.raises(LoginFailed):
        authenticate(warehouse, "无此人", WRONG, now=T)
    reset_password(warehouse, "张三", NEW, at=T + dt.timedelta(hours=1))
    disable(warehouse, "张三", at=T + dt.timedelta(hours=2))
    again = connect(tmp_path / "again" / "w.duckdb")
    journal.replay(again, tmp_path / "archive")
    for table in ("account", "audit_log"):
        before, after = (c.execute("SELECT * FROM " + table + " ORDER BY id").df() for c in (warehouse, again))
        pd.testing.assert_frame_equal(before, after, obj=table)
    again.close()


def test_an_older_warehouse_gains_the_new_tables_and_keeps_its_data(warehouse, tmp_path):
    warehouse.execute("DROP TABLE audit_log")
    warehouse.execute("DROP TABLE account")
    indicators = warehouse.execute("SELECT count(*) FROM indicator").fetchall()
    warehouse.close()
    con = connect(tmp_path / "w.duckdb")
    assert not server_mode(con) and audit_rows(con).empty
    assert con.execute("SELECT count(*) FROM indicator").fetchall() == indicators
    con.close()
