"""The hostile workbooks and CSV files that `workplan import` must refuse in bounded time and
memory: generated here (zip bombs are small to build, large to unpack), checked by
tests/test_import_hostile.py, measured by benchmarks/hostile.py."""

from __future__ import annotations

import codecs
import functools
import io
import os
import zipfile

MB = 1024 * 1024

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    b'"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/>EXTRA</Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    b'"xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="Activities" sheetId="1" r:id="rId1"/></sheets>'
    b"</workbook>"
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    b'sheet1.xml"/>EXTRA</Relationships>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org'
    b'/spreadsheetml/2006/main"><sheetData>'
)


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _header_row() -> bytes:
    cells = [("A1", "Id"), ("B1", "Status"), ("C1", "Check")]
    return b'<row r="1">' + b"".join(_cell(r, t) for r, t in cells) + b"</row>"


def book(sheet_data: bytes, after: bytes = b"", extra: dict[str, bytes] | None = None) -> bytes:
    """Returns a minimal xlsx workbook whose one sheet, Activities, holds `sheet_data`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.replace(b"EXTRA", b""))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.replace(b"EXTRA", b""))
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            _SHEET_HEAD + sheet_data + b"</sheetData>" + after + b"</worksheet>",
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            zeros = b"\0" * MB
            for _ in range(256):  # 256 MiB unpacked, about 250 kB packed
                part.write(zeros)
    return out.getvalue()


def _laughs() -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><si><t>&a9;</t></si></sst>'
    ).encode()
    data = _header_row() + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return book(data, extra={"xl/sharedStrings.xml": strings})


@functools.cache
def generated() -> dict[str, tuple[str, bytes, str]]:
    """Returns the cases: name -> (file name, bytes, the start of the error message)."""
    many_rows = _header_row() + b"".join(
        b'<row r="%d">' % r + _cell(f"A{r}", "1.1.1") + b"</row>" for r in range(2, 20_100)
    )
    wide = b'<row r="1">' + b"".join(_cell(f"A{i}", "x") for i in range(1, 2)) + b"</row>"
    wide += b'<row r="2">' + b"".join(b'<c r="XFD2"><v>1</v></c>' for _ in range(200_000))
    wide += b"</row>"
    full = b"".join(
        b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 900 + b"</row>" for _ in range(300)
    )
    return {
        "many-cells": ("cells.xlsx", book(full), "cells.xlsx: a sheet of more than 250,000 cells"),
        "zip-bomb": ("bomb.xlsx", _zip_bomb(), "bomb.xlsx: unpacks to 268,"),
        "many-parts": (
            "parts.xlsx",
            book(_header_row(), extra={f"xl/media/p{i}.bin": b"" for i in range(600)}),
            "parts.xlsx: a workbook of more than 500 parts",
        ),
        "many-rows": ("rows.xlsx", book(many_rows), "rows.xlsx: more than 20,000 rows"),
        "last-row-only": (
            "sparse.xlsx",
            book(_header_row() + b'<row r="1048576">' + _cell("A1048576", "x") + b"</row>"),
            "sparse.xlsx: more than 20,000 rows",
        ),
        "wide-row": ("wide.xlsx", book(wide), "wide.xlsx: a row of more than 1,000 cells"),
        "merged-cells": (
            "merged.xlsx",
            book(_header_row(), b'<mergeCells count="1"><mergeCell ref="A2:C9"/></mergeCells>'),
            "merged.xlsx: has merged cells (A2:C9)",
        ),
        "formulas": (
            "formulas.xlsx",
            book(
                _header_row()
                + b'<row r="2"><c r="A2"><f>HYPERLINK("http://x.example")</f></c>'
                + b'<c r="B2"><f>1+1</f><v>2</v></c></row>'
            ),
            "formulas.xlsx:Activities!A2: is a formula ('=HYPERLINK(\"http://x.example\")')",
        ),
        "entity-expansion": ("laughs.xlsx", _laughs(), "laughs.xlsx: "),
        "not-a-workbook": (
            "random.xlsx",
            os.urandom(MB),
            "random.xlsx: not an xlsx workbook (not a zip file)",
        ),
        "empty-file": ("empty.xlsx", b"", "empty.xlsx: not an xlsx workbook"),
        "too-large": (
            "large.xlsx",
            b"PK" + b"\0" * (20 * MB),
            "large.xlsx: file is too large",
        ),
        "csv-latin-1": (
            "latin.csv",
            "Id,Status,Update: Note\r\n1.1.1,completed,Réunion tenue\r\n".encode("latin-1"),
            "latin.csv:2: not UTF-8 (byte 0xe9)",
        ),
        "csv-utf-16": (
            "utf16.csv",
            codecs.BOM_UTF16_LE + "Id,Status\r\n".encode("utf-16-le"),
            "utf16.csv: the file is UTF-16 or UTF-32",
        ),
        "csv-huge-field": (
            "field.csv",
            b'Id,Status,Check\r\n"' + b"x" * (2 * MB) + b'",planned,x\r\n',
            "field.csv:",
        ),
        "csv-many-rows": (
            "rows.csv",
            b"Id,Status,Check\r\n" + b"1.1.1,planned,x\r\n" * 30_000,
            "rows.csv: more than 20,000 rows",
        ),
    }
