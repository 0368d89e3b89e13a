"""Accounts (issue 13): adding, listing, disabling, enabling and resetting the password of an account.

Server mode is on as soon as the warehouse holds one account. Every change is allowed to a 管理员 only
(personal mode's actor is one), writes its audit row in its own transaction and one journal line, so
`python -m ingest rebuild` brings the accounts back. The journal holds the Argon2id hash, as the warehouse
does: never a password.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from warehouse import journal
from warehouse.access import ACCOUNTS, ADMIN, REPORTER, ROLES, Actor, personal_actor, require, server_mode  # noqa: F401
from warehouse.audit import ACCOUNT_ADD, ACCOUNT_DISABLE, ACCOUNT_ENABLE, ACCOUNT_RESET, record
from warehouse.config import settings
from warehouse.db import first_row, transaction

from .passwords import hash_password

MAX_NAME, MAX_PASSWORD = 40, 256
COLUMNS = ("id", "name", "role", "department_code", "disabled", "created_at", "failed_count", "locked_until",
           "last_login")   # what list_accounts shows: never the hash


class AccountRefused(ValueError):
    """The account change was not made; the message says why and what to do, in Chinese."""


def list_accounts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every account, by name, without its password hash."""
    return con.execute("SELECT " + ", ".join(COLUMNS) + " FROM account ORDER BY name").df()


def find(con: duckdb.DuckDBPyConnection, name: str) -> tuple | None:
    """(id, name, role, department_code, disabled) of the account called `name`, or None."""
    return first_row(con, "SELECT id, name, role, department_code, disabled FROM account WHERE name = ?",
                     [_clean(name)])


def add(con: duckdb.DuckDBPyConnection, name: str, role: str, password: str, department: str | None = None,
        actor: Actor | None = None, at: dt.datetime | None = None) -> int:
    """Add an account; returns its id. A 填报员 needs a department of the current catalog (code, name or
    alias); a 管理员 or 查看者 has none. Refused (AccountRefused) with a Chinese message otherwise."""
    actor = actor or personal_actor()
    require(actor, ACCOUNTS)
    name = _clean(name)
    if not name or len(name) > MAX_NAME:
        raise AccountRefused(f"账号名须为 1–{MAX_NAME} 个字（如 张三 或 卫健委-李四）。")
    if role not in ROLES:
        raise AccountRefused(f"角色只能是 {'、'.join(ROLES)}，填写的是「{_clean(role)[:20]}」。")
    code = _department(con, role, department)
    check_password(password, name)
    if find(con, name):
        raise AccountRefused(f"账号「{name}」已存在。请换一个账号名；如要重设它的密码，请用 reset。")
    if role != ADMIN and not first_row(con, "SELECT count(*) FROM account WHERE role = ?", [ADMIN])[0]:
        raise AccountRefused("第一个账号必须是管理员：有了账号，看板就要求登录，没有管理员便无人能管理账号、审核报送。"
                             "请先添加一个管理员账号。")
    return _insert(con, name, role, code, hash_password(password), at or dt.datetime.now(), actor)


def _insert(con, name: str, role: str, department: str | None, password_hash: str, at: dt.datetime,
            actor: Actor) -> int:
    with transaction(con):
        account_id = first_row(con, "INSERT INTO account (name, role, department_code, password_hash, created_at) "
                                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                               [name, role, department, password_hash, at])[0]
        record(con, actor, ACCOUNT_ADD, "account", account_id,
               f"添加账号 {name}（{role}{'，' + department if department else ''}）", at)
    journal.write(con, "account_add", name=name, role=role, department=department, password_hash=password_hash,
                  at=at, actor=actor)
    return account_id


@journal.replays("account_add")
def _replay_add(con, archive, name, role, department, password_hash, at, actor) -> None:
    _insert(con, name, role, department, password_hash, journal.moment(at), Actor.from_dict(actor))


def disable(con: duckdb.DuckDBPyConnection, name: str, actor: Actor | None = None,
            at: dt.datetime | None = None) -> None:
    """Disable an account: it can no longer log in, and its open sessions end at their next click."""
    actor = actor or personal_actor()
    require(actor, ACCOUNTS)
    account = _existing(con, name)
    if account[2] == ADMIN and not account[4] and not first_row(
            con, "SELECT count(*) FROM account WHERE role = ? AND NOT disabled AND id <> ?", [ADMIN, account[0]])[0]:
        raise AccountRefused(f"「{account[1]}」是最后一个可用的管理员账号，停用后将无人能管理账号和指标体系。"
                             "请先添加另一个管理员，再停用它。")
    _change(con, account[0], ACCOUNT_DISABLE, {"disabled": True}, at or dt.datetime.now(), actor)


def enable(con: duckdb.DuckDBPyConnection, name: str, actor: Actor | None = None,
           at: dt.datetime | None = None) -> None:
    """Enable a disabled account again."""
    actor = actor or personal_actor()
    require(actor, ACCOUNTS)
    _change(con, _existing(con, name)[0], ACCOUNT_ENABLE, {"disabled": False}, at or dt.datetime.now(), actor)


def reset_password(con: duckdb.DuckDBPyConnection, name: str, password: str, actor: Actor | None = None,
                   at: dt.datetime | None = None) -> None:
    """Set a new password; a lock from wrong passwords ends with it."""
    actor = actor or personal_actor()
    require(actor, ACCOUNTS)
    account = _existing(con, name)
    check_password(password, account[1])
    _change(con, account[0], ACCOUNT_RESET, {"password_hash": hash_password(password), "failed_count": 0,
                                             "locked_until": None}, at or dt.datetime.now(), actor)


_CHANGEABLE = ("disabled", "password_hash", "failed_count", "locked_until", "last_login")
_DETAIL = {ACCOUNT_DISABLE: "停用账号 {}", ACCOUNT_ENABLE: "启用账号 {}", ACCOUNT_RESET: "重设账号 {} 的密码"}


def _change(con, account_id: int, action: str, values: dict, at: dt.datetime, actor: Actor) -> None:
    """Update an account's state with its audit row, in one transaction, and journal it."""
    assert set(values) <= set(_CHANGEABLE)   # column names come from this module only; values are parameters
    name = first_row(con, "SELECT name FROM account WHERE id = ?", [account_id])[0]
    with transaction(con):
        con.execute("UPDATE account SET " + ", ".join(f"{c} = ?" for c in values) + " WHERE id = ?",
                    [*values.values(), account_id])
        record(con, actor, action, "account", account_id, _DETAIL[action].format(name), at)
    journal.write(con, "account_change", name=name, action=action, values=values, at=at, actor=actor)


@journal.replays("account_change")
def _replay_change(con, archive, name, action, values, at, actor) -> None:
    _change(con, _existing(con, name)[0], action, values, journal.moment(at), Actor.from_dict(actor))


def _clean(text: object) -> str:
    return " ".join(str(text or "").split())


def _existing(con, name: str) -> tuple:
    account = find(con, name)
    if account is None:
        raise AccountRefused(f"没有名为「{_clean(name)[:MAX_NAME]}」的账号。请用 list 查看已有账号。")
    return account


def _department(con, role: str, department: str | None) -> str | None:
    """A 填报员's department code, from a code, name or alias of the current catalog's departments."""
    wanted = _clean(department)
    if role != REPORTER:
        if wanted:
            raise AccountRefused(f"{role}不属于某个部门，请去掉部门（--department）。只有填报员须指定部门。")
        return None
    if not wanted:
        raise AccountRefused("填报员须指定所属部门（--department），如 卫生健康委。填报员只能上传本部门的文件。")
    known = con.execute("SELECT code, name, aliases FROM department ORDER BY code").fetchall()
    if not known:
        raise AccountRefused("数据库中还没有指标体系，无法确认部门。请先运行 python -m ingest catalog 导入指标体系。")
    for code, name, aliases in known:
        if wanted in (code, name, *aliases):
            return code
    raise AccountRefused(f"部门「{wanted[:40]}」不在当前指标体系的「部门」表中。可选："
                         + "、".join(name for _, name, _ in known) + "。")


def check_password(password: str, name: str) -> None:
    """Refuse a password that is too short, too long, blank or the account's own name (never quoting it)."""
    shortest = settings().min_password_length
    if len(password) < shortest or not password.strip():
        raise AccountRefused(f"密码太短：至少 {shortest} 位。请用一句话或几个词组成的长密码。")
    if len(password) > MAX_PASSWORD:
        raise AccountRefused(f"密码太长：最多 {MAX_PASSWORD} 位。")
    if password.strip().lower() == name.lower():
        raise AccountRefused("密码不能与账号名相同。")
