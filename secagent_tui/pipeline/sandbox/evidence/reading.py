"""Turning any file of a clone into text that names can be searched in.

Why not "source files only": a scan that reads only the suffixes it knows called a
CoffeeScript project's dependencies unused. Here every regular file is read. Package and
module names are ASCII, so any ASCII-compatible encoding can be searched after decoding it
as Latin-1 (a byte-for-byte mapping that never fails); UTF-16 is recognised by its BOM or
by its NUL pattern. Only files that are provably binary *and* whose content is compressed or
pixel data (images, fonts, media, compressed streams) are skipped: nothing readable is in
them. Other binaries (a `.class`, a `.pyc`, a zip's central directory) keep their names in
plain bytes, so they are searched like text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..safe_open import NotARegularFile, read_bounded

# Magic numbers of formats whose bytes hold no searchable names.
_OPAQUE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BM", "BMP image"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"OTTO", "OpenType font"),
    (b"\x00\x01\x00\x00\x00", "TrueType font"),
    (b"\x1f\x8b", "gzip stream"),
    (b"BZh", "bzip2 stream"),
    (b"\xfd7zXZ\x00", "xz stream"),
    (b"(\xb5/\xfd", "zstd stream"),
    (b"7z\xbc\xaf'\x1c", "7z archive"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"%PDF-", "PDF document"),
)
_RIFF_KINDS = (b"WEBP", b"WAVE", b"AVI ")


@dataclass(frozen=True, slots=True)
class FileText:
    """A file as searchable text, or why it could not be read (`text` None)."""

    text: str | None
    why: str = ""
    opaque: str = ""  # the binary format skipped, when the file is provably opaque


def opaque_kind(head: bytes) -> str:
    """The name of an opaque binary format the bytes start with, or ''."""
    for magic, kind in _OPAQUE_MAGIC:
        if head.startswith(magic):
            if kind == "BMP image" and len(head) > 14 and head[6:10] != b"\x00\x00\x00\x00":
                continue  # "BM" also starts text; a BMP has four reserved zero bytes there
            return kind
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return "RIFF media"
    if head[4:8] == b"ftyp":
        return "MP4 media"
    return ""


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: NUL in every other byte of ASCII-range text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    codec = "utf-16-le" if odd > 0.4 * half and even < 0.05 * half else None
    if codec is None and even > 0.4 * half and odd < 0.05 * half:
        codec = "utf-16-be"
    if codec is None:
        return None
    return data.decode(codec, errors="replace")


def decode(data: bytes) -> str:
    """Text for searching ASCII names; never fails (Latin-1 is the last resort)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
    return data.decode("latin-1")


def read_text(path: Path, limit: int) -> FileText:
    """The whole file as text, or None with why: unreadable, too big, or opaque binary."""
    try:
        data, more = read_bounded(path, limit)
    except NotARegularFile:
        return FileText(None, "is not a regular file")
    except OSError as exc:
        return FileText(None, f"cannot be read ({exc.strerror or exc})")
    if more:
        return FileText(None, f"is over the {limit}-byte size limit")
    kind = opaque_kind(data[:16])
    if kind:
        return FileText(None, f"is a {kind}", opaque=kind)
    return FileText(decode(data))
