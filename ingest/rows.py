"""Rows kept column by column, and the column-wise helpers the bulk checks share.

A file's observations and register entries are held as one list per field (`Rows`) rather than a dict per
row: a sheet of plain rows is taken with one extend per field and loaded with one statement per table.
Whoever wants rows still gets them, one read-only mapping per row.
"""
from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping

import numpy as np


class Row(Mapping):
    """One row of a Rows, read in place: row["field"] as a dict would give it."""
    __slots__ = ("_columns", "_k")

    def __init__(self, columns: dict[str, list], k: int):
        self._columns, self._k = columns, k

    def __getitem__(self, field: str):
        return self._columns[field][self._k]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return repr(dict(self))


class Rows:
    """A table's rows as one list per field, in the order they were added. Every row has the same fields
    (a row that lacks one reads None there). Rows made whole from arrays (a plain sheet's, see extend) hold
    the arrays, and make a field's list only when it is read."""

    def __init__(self, rows: Iterable[Mapping] = ()):
        self.columns: dict[str, list] = {}
        self._n = 0
        self._arrays: dict[str, np.ndarray] = {}   # the columns as arrays, once made (see prepare_arrays)
        for row in rows:
            self.append(row)

    def __len__(self) -> int:
        return self._n

    def _fields(self, fields: Iterable[str]) -> None:
        """Make room for fields not seen before (None in the rows already held)."""
        for f in fields:
            if f not in self.columns:
                self.columns[f] = [None] * self._n

    def append(self, row: Mapping) -> None:
        self._arrays = {}
        self._fields(row)
        for f, column in self.columns.items():
            column.append(row.get(f))
        self._n += 1

    def extend(self, columns: Mapping[str, list | np.ndarray], n: int) -> None:
        """Add n rows given field by field (each a list, or an array as _array() would make it, n long).
        Arrays given to rows that have none yet are kept as they are: the load inserts them, and a reader
        gets a column as a list when it first asks (a plain sheet's rows are never made lists at all)."""
        if not self._n and any(isinstance(c, np.ndarray) for c in columns.values()):
            self._arrays = {**{f: _array([None] * n) for f in self.columns},
                            **{f: c if isinstance(c, np.ndarray) else _array(c) for f, c in columns.items()}}
            self.columns, self._n = _ListedOnRead(self._arrays), n
            return
        self._arrays = {}
        self._fields(columns)
        for f, column in self.columns.items():
            column.extend(_listed(columns[f]) if f in columns else [None] * n)
        self._n += n

    def column(self, field: str) -> list:
        """Every row's value of `field`, in order."""
        return self.columns.get(field, [None] * self._n)

    def arrays(self, fields: Iterable[str] | None = None, **same) -> dict[str, np.ndarray]:
        """The columns (all, or those named) as NumPy arrays, which DuckDB reads directly (a dict of arrays is
        a table to it): floats with NaN for None, whole numbers and booleans as such when none is missing,
        anything else (text, dates, None) as Python objects; and a column of each value in `same`."""
        return {**{f: self._arrays[f] if f in self._arrays else _array(self.column(f))
                   for f in (self.columns if fields is None else fields)},
                **{f: np.full(self._n, value) for f, value in same.items()}}

    def prepare_arrays(self) -> None:
        """Make every column's array now and keep it (a worker process does, for the writer: ingest.batch)."""
        self._arrays = {f: self._arrays[f] if f in self._arrays else _array(self.column(f)) for f in self.columns}

    def __getstate__(self) -> dict:
        # a worker's rows, arrays prepared, travel as the arrays alone: half the bytes to pickle and unpickle
        if self._arrays and self._arrays.keys() == self.columns.keys():
            return {"_n": self._n, "_arrays": self._arrays}
        return self.__dict__

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        if "columns" not in state:
            self.columns = _ListedOnRead(self._arrays)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self._n))]
        if not -self._n <= k < self._n:
            raise IndexError(k)
        return Row(self.columns, k % self._n)

    def __iter__(self) -> Iterator[Row]:
        return map(Row, itertools.repeat(self.columns, self._n), range(self._n))

    def __eq__(self, other) -> bool:
        if isinstance(other, (Rows, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"Rows({[dict(r) for r in self]!r})"


def _array(column: list) -> np.ndarray:
    """A column as DuckDB should read it (see Rows.arrays)."""
    kinds = set(map(type, column))
    if kinds and kinds <= {float, int, type(None)} and float in kinds:
        return np.array(column, dtype=float)
    if kinds == {int} or kinds == {bool}:
        return np.array(column)
    array = np.empty(len(column), dtype=object)
    array[:] = column
    return array


def _listed(column: list | np.ndarray) -> list:
    """A column as a list: an array as the list _array() would have made it from (None for a float's NaN)."""
    if not isinstance(column, np.ndarray):
        return column
    return or_none(column) if column.dtype.kind == "f" else column.tolist()


class _ListedOnRead(dict):
    """Columns held as arrays (a plain sheet's, or a worker's rows unpickled), each made a list when first
    read: the writer reads a few of them, and inserts the arrays."""

    def __getitem__(self, field: str) -> list:
        column = dict.__getitem__(self, field)
        if isinstance(column, np.ndarray):
            column = _listed(column)
            dict.__setitem__(self, field, column)
        return column

    def get(self, field: str, default=None):
        return self[field] if field in self else default

    def items(self):
        return [(field, self[field]) for field in self]

    def values(self):
        return [self[field] for field in self]


MEMO_SIZE = 100_000   # the most strings a memo keeps (a hostile file's garbage must not stay in memory)


def distinct(column: list, resolve: Callable, memo: dict | None = None) -> tuple[np.ndarray, list]:
    """Each value's index among the column's distinct values, and resolve(value) for each distinct value
    (values equal as dict keys are one value). `memo` keeps what strings resolved to, for the next file."""
    index = {v: i for i, v in enumerate(dict.fromkeys(column))}
    at = np.fromiter(map(index.__getitem__, column), dtype=np.intp, count=len(column))
    if memo is None:
        return at, [resolve(v) for v in index]
    out = []
    for v in index:
        if type(v) is not str:
            out.append(resolve(v))
        elif v in memo:
            out.append(memo[v])
        else:
            out.append(resolve(v))
            if len(memo) < MEMO_SIZE:
                memo[v] = out[-1]
    return at, out


def objects(values: list) -> np.ndarray:
    """The values as an array of Python objects (never NumPy's strings or numbers)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def all_missing(array: np.ndarray) -> bool:
    """True when a column (as _array() makes it) holds no value: None, or NaN, everywhere."""
    if array.dtype.kind == "f":
        return bool(np.isnan(array).all())
    return array.dtype.kind == "O" and all(v is None for v in array.tolist())


def pick(values: list, at: np.ndarray) -> list:
    """values[i] for each index in `at`, as a list."""
    return objects(values)[at].tolist()


def numbers(column: list | None, n: int, read: Callable[[str], float]) -> np.ndarray:
    """The column's number cells (int or float, not a 是/否 bool) as floats, a text cell as read(text)
    makes it (each distinct text read once), NaN for an empty or any other cell."""
    if column is None:
        return np.full(n, math.nan)
    nan, texts = math.nan, {}
    return np.array([v if type(v) is float else nan if v == "" else _as_float(v, read, texts) for v in column],
                    dtype=float)


def _as_float(v, read: Callable[[str], float], texts: dict[str, float]) -> float:
    if type(v) is str:
        if v not in texts:
            texts[v] = read(v)
        return texts[v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        try:
            return float(v)
        except OverflowError:
            return math.nan
    return math.nan


def or_none(values: np.ndarray) -> list:
    """The floats as a list, None where NaN."""
    return [x if x == x else None for x in values.tolist()]


def repeats(keys: list) -> np.ndarray:
    """True for each key already seen earlier in the list."""
    n = len(keys)
    first = dict(zip(reversed(keys), range(n - 1, -1, -1)))   # the earliest place wins
    if len(first) == n:
        return np.zeros(n, dtype=bool)
    return np.fromiter(map(first.__getitem__, keys), dtype=np.intp, count=n) != np.arange(n)


def in_row_order(plain: np.ndarray, keys: list, seen: dict, others: Iterable[int],
                 check: Callable[[int], bool], take: Callable[[np.ndarray], None]) -> bool:
    """Take the plain entries (positions `plain`, ascending, keys `keys`) in bulk with take(indices into
    `plain`), and send every other entry to check(position), in row order, so that of two entries with one
    key the first is taken (`check` adds the key of an entry it keeps to `seen`) and the second goes to
    `check`, which reports the repeat. A plain entry whose key is in `seen` already goes to `check` too.
    True when `check` says the error budget ran out (the entries before it are taken)."""
    taken = np.fromiter((key not in seen for key in keys), dtype=bool, count=len(keys)) if seen else \
        np.ones(len(keys), dtype=bool)
    queue = sorted([*others, *plain[~taken].tolist()])   # a sorted list is a heap
    where = None
    done = 0

    def take_until(end: int) -> int:
        if end > done:
            chosen = np.flatnonzero(taken[done:end]) + done
            if len(chosen):
                take(chosen)
        return max(end, done)

    while queue:
        j = heapq.heappop(queue)
        before = int(np.searchsorted(plain, j))
        done = take_until(before)
        size = len(seen)
        if check(j):
            return True
        if len(seen) > size:   # `check` kept entry j: a later plain entry with its key is a repeat
            where = where if where is not None else {key: i for i, key in enumerate(keys)}
            i = where.get(next(reversed(seen)))
            if i is not None and i >= before and taken[i]:
                taken[i] = False
                heapq.heappush(queue, int(plain[i]))
    take_until(len(keys))
    return False
