"""Command line: python -m accounts {add, list, disable, enable, reset}.

Run on the server by whoever looks after it: the changes are recorded under the computer's user, from 命令行.
A password is asked twice without echo, or read from the first line of standard input (--password-stdin);
it is never an argument, so it stays out of the shell's history and the process list.
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

import duckdb
import pandas as pd

from warehouse import config
from warehouse.access import ADMIN, COMMAND_LINE, ROLES, NotAllowed, department_names, personal_actor
from warehouse.cli import Parser
from warehouse.db import WarehouseBusy, WarehouseUnusable, connect_or_explain as connect, explain

from .store import AccountRefused, add, disable, enable, list_accounts, reset_password

def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m accounts", description="管理看板账号（服务器模式：数据库中有账号时，看板需要登录）。")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    p = sub.add_parser("add", help="添加账号（密码会提示输入两次）")
    p.add_argument("--name", required=True, help="账号名，如 张三")
    p.add_argument("--role", required=True, help="角色：" + "、".join(ROLES))
    p.add_argument("--department", help="填报员所属部门：编码、名称或别名，如 卫生健康委")
    _common(p, password=True)

    _common(sub.add_parser("list", help="列出全部账号（不显示密码）"))
    for command, what in (("disable", "停用账号"), ("enable", "重新启用账号"), ("reset", "重设账号密码（同时解除锁定）")):
        p = sub.add_parser(command, help=what)
        p.add_argument("name", metavar="NAME", help="账号名")
        _common(p, password=command == "reset")

    args = parser.parse_args(argv)
    db = args.db or config.default_db_path()
    try:
        con = connect(db)
    except WarehouseBusy:
        print(f"错误：看板或导入命令正在使用数据库 {db}。请先关闭看板（停止 streamlit run app.py），"
              "再运行 python -m accounts；改完账号后重新启动看板。", file=sys.stderr)
        return 2
    except WarehouseUnusable as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    try:
        return {"add": _add, "list": _list, "disable": _disable, "enable": _enable, "reset": _reset}[args.command](
            con, args)
    except (AccountRefused, NotAllowed, _NoPassword) as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except duckdb.Error as e:
        explained = explain(e, db)
        if explained is None:
            raise
        print(f"错误：{explained}", file=sys.stderr)
        return 2
    finally:
        con.close()


def _common(p: argparse.ArgumentParser, password: bool = False) -> None:
    p.add_argument("--db", type=Path, default=None, help="数据库文件（默认 data/warehouse.duckdb 或 $CFC_DB）")
    if password:
        p.add_argument("--password-stdin", action="store_true", help="从标准输入的第一行读取密码（用于脚本）")


class _NoPassword(Exception):
    pass


def _password(args) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise _NoPassword("标准输入中没有密码。请在第一行写入密码，或去掉 --password-stdin 按提示输入。")
        return line.rstrip("\r\n")
    try:
        first = getpass.getpass("密码：")
        second = getpass.getpass("再输入一次：")
    except (EOFError, KeyboardInterrupt):
        raise _NoPassword("没有输入密码，账号未改动。") from None
    if first != second:
        raise _NoPassword("两次输入的密码不一致，账号未改动。请重新运行。")
    return first


def _actor():
    return personal_actor(address=COMMAND_LINE)


def _add(con, args) -> int:
    first = list_accounts(con).empty
    add(con, args.name, args.role, _password(args), args.department, actor=_actor())
    print(f"已添加账号「{' '.join(args.name.split())}」（{args.role}）。")
    if first:
        print("数据库中有了第一个账号：看板从现在起需要登录（服务器模式）。")
    accounts = list_accounts(con)
    if not ((accounts["role"] == ADMIN) & ~accounts["disabled"]).any():
        print("提示：还没有可用的管理员账号。只有管理员能管理账号、更换指标体系和开始周例会；"
              "请添加一个：python -m accounts add --name 姓名 --role 管理员")
    return 0


def _list(con, args) -> int:
    accounts = list_accounts(con)
    if accounts.empty:
        print("还没有账号：看板处于个人模式（不需要登录）。添加账号：python -m accounts add --name 姓名 --role 管理员")
        return 0
    names = department_names(con)
    print("账号\t角色\t部门\t状态\t最近登录")
    for a in accounts.itertuples():
        locked = not pd.isna(a.locked_until) and a.locked_until > dt.datetime.now()
        state = "已停用" if a.disabled else f"锁定至 {a.locked_until:%Y-%m-%d %H:%M}" if locked else "可用"
        last = "从未登录" if pd.isna(a.last_login) else f"{a.last_login:%Y-%m-%d %H:%M}"
        dept = "—" if pd.isna(a.department_code) else names.get(a.department_code, a.department_code)
        print(f"{a.name}\t{a.role}\t{dept}\t{state}\t{last}")
    return 0


def _disable(con, args) -> int:
    disable(con, args.name, actor=_actor())
    print(f"已停用账号「{args.name}」：它不能再登录，已打开的看板在下次操作时退出。")
    return 0


def _enable(con, args) -> int:
    enable(con, args.name, actor=_actor())
    print(f"已启用账号「{args.name}」。")
    return 0


def _reset(con, args) -> int:
    reset_password(con, args.name, _password(args), actor=_actor())
    print(f"已重设账号「{args.name}」的密码，锁定（如有）已解除。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
