"""Accounts, logins and server mode (issue 13). Stands on the warehouse only.

    python -m accounts add --name 张三 --role 填报员 --department 卫生健康委
    python -m accounts list | disable NAME | enable NAME | reset NAME

Personal mode (no account in the warehouse): no login, every change recorded under the name typed in the
sidebar or the computer's user. Server mode (one account or more): every page asks for a login.
"""
from .login import LoginFailed, authenticate, refresh, session_expired
from .store import AccountRefused, add, disable, enable, list_accounts, reset_password, server_mode

__all__ = ["AccountRefused", "LoginFailed", "add", "authenticate", "disable", "enable", "list_accounts", "refresh",
           "reset_password", "server_mode", "session_expired"]
