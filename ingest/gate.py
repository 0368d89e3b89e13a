"""Checks at the door, before any parser sees the bytes.

The type is decided by content, not by the file name. An .xlsx is a zip:
its members' sizes and compression ratios are checked from the directory
without inflating anything, and each sheet's used extent is measured by
scanning its XML, because the reader allocates a dense grid of that extent.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

import numpy as np
import olefile

from warehouse.config import Settings

from .problems import Problem, problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b")
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b([^>]*?\bhidden="(?:1|true)"[^>]*)>')
# A cell holding a formula (<f>) and no cached value (<v>): saved by a program that does not calculate.
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}\d+)"[^>]*>((?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f\b'
                           rb'(?:(?!</(?:\w+:)?c>).)*)</(?:\w+:)?c>', re.S)
_VALUE_TAG = re.compile(rb"<(?:\w+:)?v\b[^>/]*>[^<]+<")   # a <v> with text: <v></v> and <v/> hold nothing


@dataclass
class SheetScan:
    max_row: int = 0
    max_col: int = 0
    hidden_rows: set[int] = field(default_factory=set)  # 1-based
    uncached: set[str] = field(default_factory=set)     # A1 refs of formulas saved without a value


@dataclass
class GateResult:
    kind: str | None  # xlsx | xls | csv | None when refused
    problems: list[Problem]
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    text: str | None = None  # decoded CSV text
    notes: list[Problem] = field(default_factory=list)  # warnings that do not refuse the file


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def check(data: bytes, settings: Settings) -> GateResult:
    if not data:
        return GateResult(None, [problem("file_empty")])
    if len(data) > settings.max_file_bytes:
        return GateResult(None, [problem("file_too_large", size_mb=len(data) / 2**20,
                                         limit_mb=settings.max_file_bytes / 2**20)])
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _check_xlsx(data, settings)
    if data.startswith(OLE_MAGIC):
        return _check_ole(data)
    if data.startswith(b"%PDF"):
        return GateResult(None, [problem("file_pdf")])
    for magic, kind in ((b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"Rar!", "RAR 压缩包"),
                        (b"7z\xbc\xaf", "7z 压缩包"), (b"\x1f\x8b", "gzip 压缩包")):
        if data.startswith(magic):
            return GateResult(None, [problem("file_not_workbook", kind=kind)])
    return _check_text(data, settings.max_sheet_cells)


def _check_xlsx(data: bytes, settings: Settings) -> GateResult:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return GateResult(None, [problem("file_truncated")])
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if "word/document.xml" in names else "PPT 演示文稿" if "ppt/presentation.xml" in names else "zip 压缩包"
        return GateResult(None, [problem("file_not_workbook", kind=kind)])
    total = sum(i.file_size for i in infos)
    if total > settings.max_uncompressed_bytes:
        return GateResult(None, [problem("zip_too_large", size_mb=total / 2**20,
                                         limit_mb=settings.max_uncompressed_bytes / 2**20)])
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > settings.max_compression_ratio:
            return GateResult(None, [problem("zip_ratio", member=info.filename, ratio=ratio,
                                             limit=settings.max_compression_ratio)])
    try:
        sheets = _scan_sheets(zf)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError, NotImplementedError,
            RuntimeError):  # RuntimeError: a zip-encrypted member; NotImplementedError: unknown compression
        return GateResult(None, [problem("file_truncated")])
    for name, scan in sheets.items():
        if scan.max_row * scan.max_col > settings.max_sheet_cells:
            return GateResult(None, [problem(
                "sheet_too_big", sheet=name, rows=scan.max_row, cols=scan.max_col,
                far=f"{col_letters(scan.max_col)}{scan.max_row}", limit=settings.max_sheet_cells)])
    notes = [problem("macros_ignored")] if any(n.lower().endswith("vbaproject.bin") for n in names) else []
    return GateResult("xlsx", [], sheets, notes=notes)


def _scan_sheets(zf: zipfile.ZipFile) -> dict[str, SheetScan]:
    """Sheet name -> used extent and hidden rows, from the raw XML."""
    workbook = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {m[0]: m[1] for m in re.findall(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m[1]: m[0] for m in re.findall(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out: dict[str, SheetScan] = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", workbook):
        name = re.search(rb'\bname="([^"]*)"', tag)
        rid = re.search(rb'\b\w*:?id="([^"]*)"', tag)
        if not name or not rid or rid[1] not in targets:
            continue
        target = targets[rid[1]].decode()
        path = target.lstrip("/") if target.startswith("/") else normpath(join(dirname("xl/workbook.xml"), target))
        sheet_name = _xml_unescape(name[1].decode("utf-8"))
        out[sheet_name] = _scan_sheet_xml(zf.read(path))
    return out


def _scan_sheet_xml(xml: bytes) -> SheetScan:
    """The grid a reader will allocate. The r="A1" labels are optional in the format, so a row's
    or cell's position is at least its ordinal: count rows and cells per row as well."""
    scan = _scan_labelled(xml)
    return scan if scan is not None else _scan_unlabelled(xml)


def _scan_unlabelled(xml: bytes) -> SheetScan:
    """Any sheet: cells' labels where they are, rows' and cells' ordinals where they are not."""
    scan = SheetScan()
    refs = _CELL_REF.findall(xml)   # each distinct column and the largest row number, not a parse per cell
    if refs:
        scan.max_col = max(col_number(c.decode()) for c in {c for c, _ in refs})
        scan.max_row = int(max((r for _, r in refs), key=lambda r: (len(r), r)))
    for ordinal, m in enumerate(_ROW_TAG.finditer(xml), start=1):
        attrs = m[1]
        num = _ROW_NUM.search(attrs)
        row = int(num[1]) if num else ordinal
        cells = len(_CELL_TAG.findall(m[3] or b""))
        if cells:
            scan.max_row = max(scan.max_row, row, ordinal)
            scan.max_col = max(scan.max_col, cells)
        if _HIDDEN.search(attrs):
            scan.hidden_rows.add(row)
    if b"<f" in xml:
        scan.uncached = {m[1].decode() for m in _FORMULA_CELL.finditer(xml) if not _VALUE_TAG.search(m[2])}
    return scan


def _scan_labelled(xml: bytes) -> SheetScan | None:
    """The same extent, fast, for a sheet whose every row and cell opens with its label (what Excel and WPS
    write: <row r="12" …>, <c r="B12" …>): the largest labels are the extent. None for any other sheet.
    Read with NumPy over the bytes after each "<", not a regular expression per cell: a province's sheet has
    100,000 cells, and this runs before every parse."""
    if b":c" in xml or b":row" in xml:
        return None
    raw = np.frombuffer(xml, dtype=np.uint8)
    tags = np.flatnonzero(raw[:max(len(raw) - 24, 0)] == ord("<"))   # (the last bytes close the sheet)
    after = raw[tags + 1]
    cells, rows = tags[after == ord("c")], tags[after == ord("r")]
    ends = (ord(" "), ord(">"), ord("/"))
    cells = cells[np.isin(raw[cells + 2], ends)]                                      # <c …, not <col …
    rows = rows[(raw[rows + 2] == ord("o")) & (raw[rows + 3] == ord("w")) & np.isin(raw[rows + 4], ends)]
    cell_labels, row_labels = _labels(raw, cells, b'<c r="', letters=3), _labels(raw, rows, b'<row r="', letters=0)
    if (cell_labels is None or row_labels is None or len(cell_labels[0]) != len(cells)
            or len(row_labels[0]) != len(rows)):
        return None   # a cell or row without its label (<c>, <c t="s" r="A1">, <row>): the slow way
    scan = SheetScan()
    if len(cell_labels[0]):
        scan.max_col, scan.max_row = int(cell_labels[0].max()), int(cell_labels[1].max())
        if row_labels[1].max() > scan.max_row:
            return None   # rows with no cell below the last cell: the full scan counts only rows with cells
    if b'hidden="' in xml:
        scan.hidden_rows = {int(_ROW_NUM.search(attrs)[1]) for attrs in _HIDDEN_ROW.findall(xml)}
    if b"<f" in xml:
        scan.uncached = {m[1].decode() for m in _FORMULA_CELL.finditer(xml) if not _VALUE_TAG.search(m[2])}
    return scan


_DIGITS = 7   # a sheet has at most 1,048,576 rows


def _labels(raw: np.ndarray, starts: np.ndarray, opening: bytes, letters: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Every label that follows `opening` (b'<c r="') at `starts` (positions of its first bytes), read at once:
    its column number (1..3 letters; 0 when `letters` is 0) and its row number (1..7 digits), then the
    closing quote. None when any label is otherwise: the caller scans the sheet the slow way."""
    width = letters + _DIGITS + 1
    starts = starts[starts < len(raw) - len(opening) - width]
    for i, byte in enumerate(opening[2:], start=2):
        starts = starts[raw[starts + i] == byte]
    window = raw[(starts + len(opening))[:, None] + np.arange(width)].astype(np.int32)
    is_letter = (window >= 65) & (window <= 90)
    is_digit = (window >= 48) & (window <= 57)
    n_letters = np.argmin(np.c_[is_letter[:, :letters], np.zeros((len(window), 1), bool)], axis=1)
    label_end = np.argmin(is_letter | is_digit, axis=1)            # where the closing quote must be
    n_digits = label_end - n_letters
    digits_seen = (is_digit & (np.arange(width) < label_end[:, None])).sum(axis=1)   # letters, then digits only
    if ((letters and (n_letters == 0).any()) or (n_digits < 1).any() or (n_digits > _DIGITS).any()
            or (digits_seen != n_digits).any() or (window[np.arange(len(window)), label_end] != ord('"')).any()):
        return None
    column, number = np.zeros(len(window), np.int32), np.zeros(len(window), np.int32)
    for j in range(letters):
        column = np.where(j < n_letters, column * 26 + window[:, j] - 64, column)
    for j in range(width - 1):
        number = np.where((j >= n_letters) & (j < label_end), number * 10 + window[:, j] - 48, number)
    return column, number


def _xml_unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _check_ole(data: bytes) -> GateResult:
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = {"/".join(s) for s in ole.listdir()}
        if "EncryptedPackage" in streams:
            return GateResult(None, [problem("file_encrypted")])
        book = next((s for s in ("Workbook", "Book") if s in streams), None)
        if book is None:
            kind = "Word 文档" if "WordDocument" in streams else "Office（非 Excel）"
            return GateResult(None, [problem("file_not_workbook", kind=kind)])
        if _xls_has_filepass(ole.openstream(book).read(65536)):
            return GateResult(None, [problem("file_encrypted")])
    except (OSError, ValueError, struct.error, IndexError):
        return GateResult(None, [problem("file_truncated")])
    return GateResult("xls", [])


def _xls_has_filepass(stream: bytes) -> bool:
    """BIFF8 globals: a FILEPASS record (0x002F) before EOF (0x000A) means a password."""
    pos = 0
    while pos + 4 <= len(stream):
        rtype, length = struct.unpack_from("<HH", stream, pos)
        if rtype == 0x002F:
            return True
        if rtype == 0x000A:
            return False
        pos += 4 + length
    return False


def _check_text(data: bytes, max_cells: int) -> GateResult:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in head:
        return GateResult(None, [problem("file_html")])
    if b"\x00" in data[:4096]:
        return GateResult(None, [problem("file_unknown_type")])
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # the same cell limit as a sheet: rows × the widest of the first lines, counted before parsing
        rows = text.count("\n") + 1
        cols = max((max(line.count(d) for d in ",\t;") + 1 for line in text[:65536].splitlines()[:200]), default=1)
        if rows * cols > max_cells:
            return GateResult(None, [problem("sheet_too_big", sheet="CSV", rows=f"{rows:,}", cols=cols,
                                             far=f"{col_letters(cols)}{rows}", limit=f"{max_cells:,}")])
        return GateResult("csv", [], text=text)
    return GateResult(None, [problem("text_encoding")])
