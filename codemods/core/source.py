"""Reading Python source as Python does, and writing it back the same way.

Encoding (PEP 263 cookie or BOM) and the BOM itself are kept; newlines are not
translated, so a CRLF file stays CRLF (LibCST keeps each line's own ending and
uses the file's first one for new lines).
"""

from __future__ import annotations

import codecs
import io
import tokenize
import warnings
from dataclasses import dataclass

import libcst as cst

# A file carrying this marker near its top is generated and never rewritten.
GENERATED_MARKER = "@" + "generated"
GENERATED_HEADER_CHARS = 2048


def is_generated(text: str) -> bool:
    return GENERATED_MARKER in text[:GENERATED_HEADER_CHARS]


class SourceError(Exception):
    """The file cannot be decoded or parsed; ``line`` is where, when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class DecodedSource:
    text: str
    encoding: str  # a codec name, without "-sig"
    bom: bool

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return codecs.BOM_UTF8 + data if self.bom else data


def decode_source(data: bytes) -> DecodedSource:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise SourceError(f"cannot decode: {error.msg}", getattr(error, "lineno", None)) from None
    try:
        text_encoding = getattr(codecs.lookup(encoding), "_is_text_encoding", True)
    except LookupError:
        text_encoding = False
    if not text_encoding:
        # As Python refuses it ("encoding problem"): rot13, hex, zlib... map bytes or str to themselves.
        cookie_line = next((n for n, line in enumerate(data.split(b"\n", 2)[:2], 1) if b"coding" in line), 1)
        message = f"cannot decode: the coding cookie names {encoding!r}, which is not a text encoding"
        raise SourceError(message, cookie_line)
    bom = encoding == "utf-8-sig"
    if bom:
        encoding = "utf-8"
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(f"cannot decode as {encoding}: {error.reason}", line) from None
    except (LookupError, ValueError, TypeError) as error:  # a codec that fails in its own way
        raise SourceError(f"cannot decode as {encoding}: {error}", 1) from None
    return DecodedSource(text, encoding, bom)


def parse(text: str) -> cst.Module:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        raise SourceError(f"syntax error: {error.message}", error.raw_line) from None


def compiles(data: bytes, filename: str) -> SyntaxError | None:
    """None if the running Python compiles ``data``, else the error."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like are not ours to report
            compile(data, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        if isinstance(error, SyntaxError):
            return error
        return SyntaxError(str(error))
    return None


def validate(original: bytes | None, new: bytes, new_text: str, filename: str) -> str | None:
    """Why ``new`` must not be written, or None when it is fine.

    Where the original compiled under the running Python (or there was no
    original), the result must compile too, which also proves it parses. A file
    only a newer Python compiles is checked with LibCST's parser alone.
    """
    if original is None or compiles(original, filename) is None:
        error = compiles(new, filename)
        if error is not None:
            return f"the rewritten file does not compile (line {error.lineno}: {error.msg})"
        return None
    try:
        cst.parse_module(new_text)
    except cst.ParserSyntaxError as error:
        return f"the rewritten file does not parse (line {error.raw_line}: {error.message})"
    return None
