"""Passwords, hashed with Argon2id (argon2-cffi). A password is only ever hashed or verified: it is never
stored, written to the journal or the audit trail, or put in a message."""
from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's default: RFC 9106's low-memory profile (Argon2id, 64 MiB, 3 passes, 4 lanes), ~50 ms a hash
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _nobody() -> str:
    return _HASHER.hash(secrets.token_hex(16))


def verify_nobody(password: str) -> None:
    """Spend the time a real check takes, so a name that has no account cannot be told by the answer's speed."""
    verify(_nobody(), password)
