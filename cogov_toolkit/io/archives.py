"""Zip archives (zipped shapefiles, KMZ, .xlsx) opened with a cap on what their members inflate to.

A zip member of a few kilobytes can inflate to gigabytes (a "zip bomb", or just a
damaged file whose header lies). Every archive the toolkit reads passes through
:func:`check_archive` before any member is read: a member whose declared size is
above :data:`MAX_MEMBER_BYTES`, or members that add up to more than
:data:`MAX_TOTAL_BYTES`, are refused with :class:`~cogov_toolkit.errors.ArchiveTooLargeError`, and members
packed with anything but deflate (bzip2, LZMA: inflated in one piece by Python, a
kilobyte can become a gigabyte) with :class:`~cogov_toolkit.errors.UnsupportedFormatError`.
Python's zipfile never inflates past a member's declared size (it then fails the
CRC check), so the declared sizes are a real bound for the readers that use it
(openpyxl, this module); GDAL's /vsizip/ reads only archives checked here first.
"""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from cogov_toolkit.errors import ArchiveTooLargeError, CorruptFileError, FileTooLargeError, UnsupportedFormatError
from cogov_toolkit.i18n.text import localised

#: the most one archive member (or one plain file read whole) may hold once inflated
MAX_MEMBER_BYTES = 256 * 1024 * 1024
#: the most all members of one archive may hold together
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: the compressions members are read with (what every zip tool writes); others are refused unread
_READ_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_COMPRESSION_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 9: "Deflate64"}


def check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Raise :class:`ArchiveTooLargeError` when a member, or all of them, would inflate past the caps."""
    total = 0
    for info in archive.infolist():
        if info.compress_type not in _READ_COMPRESSIONS:
            # Python inflates a bzip2 or LZMA member in one piece, whatever the size its header gives:
            # a kilobyte can become a gigabyte in memory. Excel, WPS, Google Earth and GIS tools deflate.
            method = _COMPRESSION_NAMES.get(info.compress_type, str(info.compress_type))
            raise UnsupportedFormatError("import.zip_compression", file=path, member=info.filename, method=method)
        if info.file_size > MAX_MEMBER_BYTES:
            raise ArchiveTooLargeError(
                file=path, member=info.filename, size=_mb(info.file_size), limit=_mb(MAX_MEMBER_BYTES)
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ArchiveTooLargeError(
            "import.archive_too_large", file=path, member="*", size=_mb(total), limit=_mb(MAX_TOTAL_BYTES)
        )


def check_file_size(path: Path, limit: int = MAX_MEMBER_BYTES) -> None:
    """Raise :class:`FileTooLargeError` when a plain file read whole is bigger than ``limit``."""
    size = path.stat().st_size
    if size > limit:
        raise FileTooLargeError(file=path, size=_mb(size), limit=_mb(limit))


def check_zip_file(path: Path) -> None:
    """Open ``path`` as a zip only to check its members' sizes (for readers that open it themselves)."""
    with open_zip(path):
        pass


@contextlib.contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """Open a zip whose members were checked against the caps; a broken zip is a :class:`CorruptFileError`."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise CorruptFileError(file=path, detail=localised("import.detail.broken_zip")) from exc
    try:
        check_archive(path, archive)
        yield archive
    finally:
        archive.close()


def read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """Read one member of a checked archive; damage (bad CRC, truncated data) is a :class:`CorruptFileError`."""
    pieces: list[bytes] = []
    size = 0
    try:
        with archive.open(name) as member:
            # in pieces: one read of n bytes inflates up to n bytes before zipfile trims it to the declared size
            while size <= MAX_MEMBER_BYTES and (piece := member.read(1 << 20)):
                pieces.append(piece)
                size += len(piece)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise CorruptFileError(file=path, detail=localised("import.detail.broken_zip")) from exc
    if size > MAX_MEMBER_BYTES:  # the header lied about the size
        raise ArchiveTooLargeError(file=path, member=name, size=_mb(size), limit=_mb(MAX_MEMBER_BYTES))
    return b"".join(pieces)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


__all__ = [
    "MAX_MEMBER_BYTES",
    "MAX_TOTAL_BYTES",
    "check_archive",
    "check_file_size",
    "check_zip_file",
    "open_zip",
    "read_member",
]
