"""Logging in (issue 13): checking a name and password, the lock after repeated wrong passwords, and how long
a session lasts. Every attempt, right or wrong, writes an audit row and a journal line.

`max_failed_logins` wrong passwords in a row lock the account for `lock_minutes` (data/settings.toml
[accounts]); while locked, even the right password is refused. A name that has no account is recorded
without the name typed, since people do type a password into the name field.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from warehouse import journal
from warehouse.access import Actor
from warehouse.audit import LOGIN, LOGIN_FAILED, record
from warehouse.config import settings
from warehouse.db import first_row, transaction

from .passwords import verify, verify_nobody
from .store import find

OK, WRONG, LOCKED, DISABLED, UNKNOWN = "ok", "wrong", "locked", "disabled", "unknown"
UNKNOWN_ACTOR = Actor("（不存在的账号）", "—")


class LoginFailed(Exception):
    """The login was refused; the message, in Chinese, never says whether the name exists unless its password was
    right, and never contains the password."""


def authenticate(con: duckdb.DuckDBPyConnection, name: str, password: str, address: str | None = None,
                 now: dt.datetime | None = None) -> Actor:
    """The logged-in actor for a right name and password, or LoginFailed."""
    now = now or dt.datetime.now()
    cfg = settings()
    wrong = f"账号或密码不正确。连续输错 {cfg.max_failed_logins} 次，账号将锁定 {cfg.lock_minutes} 分钟。"
    account = find(con, name)
    if account is None:
        verify_nobody(password)
        _settle(con, None, UNKNOWN, now, address)
        raise LoginFailed(wrong)
    account_id = account[0]
    failed, locked_until, password_hash = first_row(
        con, "SELECT failed_count, locked_until, password_hash FROM account WHERE id = ?", [account_id])
    if locked_until is not None and now < locked_until:
        _settle(con, account_id, LOCKED, now, address, locked_until=locked_until)
        raise LoginFailed(f"账号已锁定至 {locked_until:%H:%M}（连续输错密码 {cfg.max_failed_logins} 次）。"
                          "请到时再试，或请管理员重设密码。")
    if not verify(password_hash, password):
        failed += 1
        if failed >= cfg.max_failed_logins:
            until = now + dt.timedelta(minutes=cfg.lock_minutes)
            _settle(con, account_id, WRONG, now, address, failed_count=0, locked_until=until)
            raise LoginFailed(f"账号或密码不正确。已连续输错 {cfg.max_failed_logins} 次，账号锁定至 {until:%H:%M}，"
                              "期间即使密码正确也不能登录。如需立即使用，请管理员重设密码。")
        _settle(con, account_id, WRONG, now, address, failed_count=failed, locked_until=None)
        raise LoginFailed(wrong)
    if account[4]:
        _settle(con, account_id, DISABLED, now, address)
        raise LoginFailed("账号已停用。如需使用，请联系管理员。")
    _settle(con, account_id, OK, now, address, failed_count=0, locked_until=None)
    return Actor(account[1], account[2], account[3], address, account_id)


_DETAIL = {OK: "登录成功", WRONG: "密码错误", LOCKED: "账号锁定中（至 {locked_until:%Y-%m-%d %H:%M}），未核对密码",
           DISABLED: "账号已停用", UNKNOWN: "账号名不存在（所填账号名不记录，以免误填进账号名的密码留在记录中）"}


def _settle(con, account_id: int | None, outcome: str, at: dt.datetime, address: str | None,
            failed_count: int | None = None, locked_until: dt.datetime | None = None) -> None:
    """Write an attempt's outcome: the account's counters (when given) and the audit row, then the journal line."""
    if account_id is None:
        actor = Actor(UNKNOWN_ACTOR.name, UNKNOWN_ACTOR.role, address=address)
    else:
        _, name, role, department, _ = first_row(
            con, "SELECT id, name, role, department_code, disabled FROM account WHERE id = ?", [account_id])
        actor = Actor(name, role, department, address, account_id)
    detail = _DETAIL[outcome].format(locked_until=locked_until)
    if outcome == WRONG:
        detail += (f"，连续第 {failed_count} 次" if locked_until is None
                   else f"，已达上限，账号锁定至 {locked_until:%Y-%m-%d %H:%M}")
    with transaction(con):
        if outcome in (OK, WRONG):
            con.execute("UPDATE account SET failed_count = ?, locked_until = ? WHERE id = ?",
                        [failed_count, locked_until, account_id])
        if outcome == OK:
            con.execute("UPDATE account SET last_login = ? WHERE id = ?", [at, account_id])
        record(con, actor, LOGIN if outcome == OK else LOGIN_FAILED, "account", account_id, detail, at)
    journal.write(con, "login", account_id=account_id, outcome=outcome, at=at, address=address,
                  failed_count=failed_count, locked_until=locked_until)


@journal.replays("login")
def _replay_login(con, archive, account_id, outcome, at, address, failed_count, locked_until) -> None:
    _settle(con, account_id, outcome, journal.moment(at), address, failed_count, journal.moment(locked_until))


def refresh(con: duckdb.DuckDBPyConnection, actor: Actor) -> Actor | None:
    """The actor as its account stands now (role and department may have changed), None when the account is
    disabled or gone: a page calls this on every run, so disabling an account ends its sessions at once.
    A personal-mode actor (no account) is returned as it is."""
    if actor.account_id is None:
        return actor
    row = first_row(con, "SELECT name, role, department_code, disabled FROM account WHERE id = ?", [actor.account_id])
    if row is None or row[3]:
        return None
    return Actor(row[0], row[1], row[2], actor.address, actor.account_id)


def session_expired(last_active: dt.datetime, now: dt.datetime | None = None) -> bool:
    """True when a session has been idle longer than [accounts] session_idle_minutes."""
    return (now or dt.datetime.now()) - last_active > dt.timedelta(minutes=settings().session_idle_minutes)
