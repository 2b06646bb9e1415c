"""Decoding as Python does, encoding back byte for byte, and validating results."""

from __future__ import annotations

import codecs

import pytest

from flaskmod.codemods.core.source import SourceError, decode_source, parse, validate


@pytest.mark.parametrize(
    "data",
    [
        b"x = 1\n",
        b"x = 1\r\ny = 2\r\n",
        codecs.BOM_UTF8 + b"s = '\xc3\xa9'\n",
        b"# -*- coding: latin-1 -*-\ns = '\xe9'\n",
        b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ns = '\x80'\n",
        b"no_trailing_newline = 1",
        b"mixed = 1\r\nendings = 2\n",
    ],
)
def test_round_trip_is_byte_identical(data: bytes) -> None:
    decoded = decode_source(data)
    assert decoded.encode(decoded.text) == data
    assert parse(decoded.text).code == decoded.text


def test_latin1_cookie_is_honoured() -> None:
    decoded = decode_source(b"# coding: latin-1\ns = '\xe9'\n")
    assert decoded.encoding in {"iso-8859-1", "latin-1"}
    assert "é" in decoded.text


def test_bom_is_kept_separately() -> None:
    decoded = decode_source(codecs.BOM_UTF8 + b"x = 1\n")
    assert decoded.bom and decoded.text == "x = 1\n"


def test_undecodable_file_reports_line() -> None:
    with pytest.raises(SourceError) as error:
        decode_source(b"x = 1\ny = '\xff\xfe'\n")
    assert error.value.line == 2
    assert "cannot decode" in error.value.message


def test_unknown_cookie_is_an_error() -> None:
    with pytest.raises(SourceError, match="cannot decode"):
        decode_source(b"# coding: no-such-codec\nx = 1\n")


def test_syntax_error_reports_line() -> None:
    with pytest.raises(SourceError) as error:
        parse("x = 1\ndef (:\n")
    assert error.value.line == 2


def test_validate_rejects_code_that_does_not_parse_or_compile() -> None:
    assert "does not compile" in (validate(b"x = 1\n", b"x = (\n", "x = (\n", "f.py") or "")
    # Where the original did not compile either, LibCST's parser is the judge.
    assert "does not parse" in (validate(b"return 1\n", b"x = (\n", "x = (\n", "f.py") or "")


def test_validate_rejects_code_that_no_longer_compiles() -> None:
    # Parses, but `return` outside a function does not compile.
    problem = validate(b"x = 1\n", b"return 1\n", "return 1\n", "f.py")
    assert problem is not None and "does not compile" in problem


def test_validate_does_not_blame_files_the_running_python_cannot_compile() -> None:
    # The original never compiled here: only parsing is required of the result.
    assert validate(b"return 1\n", b"return 2\n", "return 2\n", "f.py") is None
