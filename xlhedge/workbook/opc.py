"""The one place that opens an OPC package: the zip behind .xlsx, .xlsm and .xlam files.

:class:`OpcPackage` reads parts by name (a read-only mapping part name ->
bytes, in the zip's order), resolves relationships (the package's
``_rels/.rels`` and any part's ``<dir>/_rels/<name>.rels``, targets relative
to the part or absolute) and content types (``[Content_Types].xml``), and
writes a new package: every member copied, the replaced ones with new bytes.
:func:`atomic_write` puts a file in place in one rename, so a failed write
leaves the old file untouched; on Linux the new content is written to an
unnamed file (``O_TMPFILE``) that gets a name only for the instant before the
rename, so even ``kill -9`` leaves nothing behind. Elsewhere a named temporary
file ``.~xlhedge-<pid>-<random>`` is used and the next write in that folder
removes any left by a process that no longer runs.

Part names are case-insensitive (as the standard says): ``read("xl/SharedStrings.xml")``
finds ``xl/sharedStrings.xml``; a member stored with backslashes (``xl\\workbook.xml``,
written by some Windows tools) is found by its part name too. Relationship targets are percent-decoded.
Every member is inflated with limits (:data:`MAX_PART_BYTES`, :data:`MAX_RATIO`),
checked on the declared size and while streaming, so a zip bomb is refused
before it fills memory. An XML part with a ``<!DOCTYPE>`` (which Excel never
writes: the carrier of entity-expansion and external-entity attacks) is refused.

Used by the workbook reader/patcher (:mod:`xlhedge.workbook.package`) and the
add-in builder (:mod:`xlhedge.excel.addin`); neither opens a zip itself.
Errors are :class:`~xlhedge.engine.errors.WorkbookError` naming the file (its
``where``) and the part.
"""

from __future__ import annotations

import copy
import io
import os
import posixpath
import re
import secrets
import stat
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.xml.constants import ARC_CONTENT_TYPES, CONTYPES_NS, PKG_REL_NS, REL_NS

from xlhedge.engine.errors import WorkbookError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "OFFICE_DOCUMENT",
    "OpcPackage",
    "Relationship",
    "XML_PARSER",
    "atomic_write",
    "atomic_write_bytes",
    "check_writable",
    "parse_xml",
]

#: Relationship type of a package's main part (the workbook of a spreadsheet).
OFFICE_DOCUMENT = REL_NS + "/officeDocument"

#: The parser for every XML part: no entity expansion, no network, big parts allowed.
XML_PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False, resolve_entities=False, no_network=True)

#: Largest package file read (bytes).
MAX_FILE_BYTES = 256 * 2**20
#: Largest uncompressed part (bytes), declared or actual.
MAX_PART_BYTES = 256 * 2**20
#: Largest compression ratio of a part once it passes :data:`_RATIO_FLOOR` bytes (XML compresses 5-50x).
MAX_RATIO = 200
_RATIO_FLOOR = 8 * 2**20

_KIND = "OPC package (zip) file"
_REL = f"{{{PKG_REL_NS}}}Relationship"
_DEFAULT = f"{{{CONTYPES_NS}}}Default"
_OVERRIDE = f"{{{CONTYPES_NS}}}Override"

# What zipfile raises on a damaged archive or member (bad CRC, truncated data,
# unsupported compression, encrypted member, bad header fields).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, struct.error)


@dataclass(frozen=True, slots=True)
class Relationship:
    """One ``<Relationship>``: ``target`` is a part name (resolved) unless ``external``."""

    id: str
    type: str
    target: str
    external: bool = False


class OpcPackage(Mapping[str, bytes]):
    """An OPC package held in memory: part name -> uncompressed bytes, in the zip's order.

    ``where`` names the package in errors (its path, or a name for bytes).
    ``kind`` is how an unreadable file is described ("is not a valid <kind>").
    """

    def __init__(self, data: bytes, *, where: str, kind: str = _KIND) -> None:
        self.where = where
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (*_ZIP_ERRORS, OSError):
            raise WorkbookError(f"is not a valid {kind} (not a zip package)", where=where) from None
        self.data = data
        self._infos = infos
        self._names = {info.filename for info in infos}
        self._lower: dict[str, str] = {}
        for info in infos:
            key = info.filename.replace("\\", "/").lower()  # some writers store xl\workbook.xml
            if key in self._lower:
                raise WorkbookError(
                    f"{info.filename}: the zip holds two members of that name (a damaged or tampered file)",
                    where=where,
                )
            self._lower[key] = info.filename
        self._rels: dict[str, list[Relationship]] = {}
        self._types: tuple[dict[str, str], dict[str, str]] | None = None

    @classmethod
    def open(cls, source: str | os.PathLike[str] | bytes, *, where: str | None = None, kind: str = _KIND) -> OpcPackage:
        """A package from a file or from bytes (``where`` defaults to the path)."""
        if isinstance(source, bytes):
            return cls(source, where=where or "<bytes>", kind=kind)
        path = Path(source)
        try:
            if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
                raise WorkbookError(
                    f"is {path.stat().st_size / 2**20:,.0f} MiB; xlhedge reads packages of at most "
                    f"{MAX_FILE_BYTES // 2**20} MiB",
                    where=str(path),
                )
            data = path.read_bytes()
        except FileNotFoundError:
            raise WorkbookError("no such file", where=str(path)) from None
        except IsADirectoryError:
            raise WorkbookError("is a folder, not a workbook", where=str(path)) from None
        except PermissionError:
            raise WorkbookError("cannot be read (permission denied)", where=str(path)) from None
        except OSError as exc:
            raise WorkbookError(f"cannot be read ({exc.strerror})", where=str(path)) from None
        return cls(data, where=where or str(path), kind=kind)

    # ------------------------------------------------------------ parts
    def part_name(self, name: str) -> str | None:
        """The member's name as stored, found case-insensitively; None when the package has no such part."""
        return name if name in self._names else self._lower.get(name.replace("\\", "/").lower())

    def __getitem__(self, name: str) -> bytes:
        if self.part_name(name) is None:
            raise KeyError(name)
        return self.read(name)

    def __iter__(self) -> Iterator[str]:
        return (info.filename for info in self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.part_name(name) is not None

    def read(self, name: str) -> bytes:
        """The part's bytes; a :class:`WorkbookError` naming it when missing, damaged or too big."""
        stored = self.part_name(name)
        if stored is None:
            raise WorkbookError(f"has no part {name}", where=self.where)
        return self._read_entry(self._zip.getinfo(stored))

    def _read_entry(self, info: zipfile.ZipInfo) -> bytes:
        """Inflate one member, refusing it as soon as its size or compression ratio passes the limits."""
        name = info.filename
        if info.file_size > MAX_PART_BYTES:
            raise WorkbookError(
                f"{name}: the part declares {info.file_size / 2**20:,.0f} MiB uncompressed; "
                f"xlhedge reads parts of at most {MAX_PART_BYTES // 2**20} MiB",
                where=self.where,
            )
        chunks: list[bytes] = []
        total = 0
        packed = max(info.compress_size, 1)
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    total += len(chunk)
                    if total > MAX_PART_BYTES or total > info.file_size:
                        raise WorkbookError(
                            f"{name}: the part inflates past its declared size or {MAX_PART_BYTES // 2**20} MiB "
                            "(a damaged file or a zip bomb)",
                            where=self.where,
                        )
                    if total > _RATIO_FLOOR and total > MAX_RATIO * packed:
                        raise WorkbookError(
                            f"{name}: the part inflates more than {MAX_RATIO} times its compressed size "
                            "(a zip bomb); xlhedge refuses it",
                            where=self.where,
                        )
                    chunks.append(chunk)
        except _ZIP_ERRORS as exc:
            raise WorkbookError(f"{name}: the part cannot be read ({exc})", where=self.where) from None
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element:
        """The part parsed as XML (:data:`XML_PARSER`, no DOCTYPE allowed: :func:`parse_xml`)."""
        return parse_xml(self.read(name), where=self.where, part=self.part_name(name) or name)

    # ------------------------------------------------------------ relationships
    def relationships(self, source: str = "") -> list[Relationship]:
        """The relationships of part ``source`` ("" = the package's own, ``_rels/.rels``); [] when none."""
        rels = self._rels.get(source)
        if rels is None:
            name = source.replace("\\", "/")
            rels_part = self.part_name(get_rels_path(name)) if name else self.part_name("_rels/.rels")
            rels = []
            if rels_part is not None:
                base = posixpath.dirname(name)
                for r in self.xml(rels_part).iter(_REL):
                    target = r.get("Target", "")
                    external = r.get("TargetMode") == "External"
                    if not external:
                        target = resolve_target(base, unquote(target))
                        target = self.part_name(target) or target
                    rels.append(Relationship(r.get("Id", ""), r.get("Type", ""), target, external))
            self._rels[source] = rels
        return rels

    def rel_targets(self, source: str = "") -> dict[str, str]:
        """Relationship id -> part name, for the internal relationships of ``source``."""
        return {r.id: r.target for r in self.relationships(source) if not r.external}

    def related(self, source: str, rel_type: str) -> list[str]:
        """Part names ``source`` relates to with ``rel_type`` (internal relationships only)."""
        return [r.target for r in self.relationships(source) if r.type == rel_type and not r.external]

    # ------------------------------------------------------------ content types
    def content_type(self, name: str) -> str | None:
        """The part's content type: its ``Override``, else the ``Default`` for its extension."""
        if self._types is None:
            defaults: dict[str, str] = {}
            overrides: dict[str, str] = {}
            if ARC_CONTENT_TYPES in self:
                for el in self.xml(ARC_CONTENT_TYPES):
                    if el.tag == _DEFAULT:
                        defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
                    elif el.tag == _OVERRIDE:
                        overrides[el.get("PartName", "").lstrip("/").lower()] = el.get("ContentType", "")
            self._types = defaults, overrides
        defaults, overrides = self._types
        found = overrides.get(name.lower())
        if found is None:
            base = posixpath.basename(name)  # "_rels/.rels" has the extension "rels"
            found = defaults.get(base.rpartition(".")[2].lower()) if "." in base else None
        return found

    # ------------------------------------------------------------ writing
    def to_bytes(self, replace: Mapping[str, bytes] | None = None, *, normalize: bool = False) -> bytes:
        """The package as zip bytes, with the parts in ``replace`` given new content."""
        buf = io.BytesIO()
        self.write_to(buf, replace, normalize=normalize)
        return buf.getvalue()

    def write(
        self, out: str | os.PathLike[str], replace: Mapping[str, bytes] | None = None, *, normalize: bool = False
    ) -> None:
        """Write the package to ``out`` atomically (see :func:`atomic_write`)."""
        atomic_write(Path(out), lambda fh: self.write_to(fh, replace, normalize=normalize))

    def write_to(self, fh: BinaryIO, replace: Mapping[str, bytes] | None = None, *, normalize: bool = False) -> None:
        """Write every member, in the zip's order, to the open binary file ``fh``.

        Untouched members get their old content back; members named in
        ``replace`` the new bytes. By default each member keeps its zip entry
        (date, attributes, extra fields) and its compression. With
        ``normalize`` every member is written as a new deflated entry keeping
        only its name, date and attributes (a reproducible build).
        """
        replace = replace or {}
        unknown = set(replace) - self._names
        if unknown:
            raise WorkbookError(f"has no part {', '.join(sorted(unknown))} to replace", where=self.where)
        mode = zipfile.ZIP_DEFLATED if normalize else zipfile.ZIP_STORED
        with zipfile.ZipFile(fh, "w", mode) as zout:
            for info in self._infos:
                data = replace[info.filename] if info.filename in replace else self._read_entry(info)
                if normalize:
                    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                    entry.compress_type = zipfile.ZIP_DEFLATED
                    entry.external_attr = info.external_attr
                    entry.create_system = info.create_system
                    zout.writestr(entry, data)
                else:
                    # writestr fills in sizes and CRC: give it a copy, not the entry this package reads by.
                    zout.writestr(copy.copy(info), data, compress_type=info.compress_type)


def parse_xml(data: bytes, *, where: str, part: str, parser: etree.XMLParser = XML_PARSER) -> etree._Element:
    """Parse an XML part; a one-line :class:`WorkbookError` naming it when damaged or carrying a DOCTYPE.

    Excel never writes a document type declaration; one is how entity-expansion
    ("billion laughs") and external-entity attacks ride in, and xlhedge could not
    write such a part back faithfully, so it is refused on read.
    """
    refused = f"{part}: the part has a <!DOCTYPE> declaration, which Excel never writes; refused"
    if b"<!DOCTYPE" in data:
        raise WorkbookError(refused, where=where)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(f"{part}: the part is damaged ({exc})", where=where) from None
    if root.getroottree().docinfo.doctype:  # e.g. a UTF-16 part the byte search cannot see
        raise WorkbookError(refused, where=where)
    return root


def resolve_target(base: str, target: str) -> str:
    """A relationship target as a part name: absolute (``/xl/x.xml``) or relative to the folder ``base``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


_TEMP_PREFIX = ".~xlhedge-"
# .~xlhedge-<pid>-<hex><suffix> (this version) or .~xlhedge-<8 chars><suffix> (earlier ones, no pid).
_TEMP_NAME = re.compile(r"^\.~xlhedge-(?:(\d+)-[0-9a-f]+|[a-z0-9_]{8})(?:\.\w+)?$")
#: A temporary file of an earlier version (no pid in its name) older than this is debris.
_STALE_SECONDS = 600


def check_writable(out: str | os.PathLike[str]) -> None:
    """Raise a one-line :class:`WorkbookError` when ``out`` cannot be (over)written.

    Refuses, as Excel does, a read-only file (no write permission bit, even for
    root), a folder, and a path whose folder does not exist or is read-only.
    Removes the temporary files of killed xlhedge runs in that folder
    (:func:`clean_stale_temporaries`).
    """
    out = Path(out)
    folder = out.absolute().parent
    if out.is_dir():
        raise WorkbookError("is a folder, not a workbook file", where=str(out))
    if out.exists():
        mode = out.stat().st_mode
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(out, os.W_OK):
            raise WorkbookError(f"is read-only; use -o OTHER{out.suffix or '.xlsx'}", where=str(out))
    if not folder.exists():
        raise WorkbookError(f"cannot be written: the folder {folder} does not exist", where=str(out))
    if not folder.is_dir():
        raise WorkbookError(f"cannot be written: {folder} is not a folder", where=str(out))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WorkbookError(f"cannot be written: the folder {folder} is read-only", where=str(out))
    clean_stale_temporaries(folder)  # a killed run's debris goes on the next run that means to write here


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def clean_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files xlhedge left in ``folder`` (a killed process); return them.

    Only files of xlhedge's own naming: ``.~xlhedge-<pid>-<hex>`` whose process
    no longer runs, or an earlier version's ``.~xlhedge-XXXXXXXX`` older than ten minutes.
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = _TEMP_NAME.match(entry.name)
        if m is None or not entry.is_file(follow_symlinks=False):
            continue
        try:
            stale = not _pid_alive(int(m.group(1))) if m.group(1) else now - entry.stat().st_mtime > _STALE_SECONDS
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def _unnamed_file(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None where the system has none."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not sys.platform.startswith("linux") or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, 0o600)
    except OSError:
        return None  # the file system does not support it (EOPNOTSUPP / EISDIR on old kernels)


def atomic_write(out: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write`` on a new file in ``out``'s folder, then move it over ``out`` in one rename.

    The file is flushed to disk first; it keeps the permissions of the file it
    replaces (0644 for a new one). On Linux it is an unnamed ``O_TMPFILE`` given
    a name (``linkat``) only just before the rename, so a crash or ``kill -9``
    while writing leaves no file behind; elsewhere a named temporary file, which
    is removed on failure and, if the process is killed, by the next write in
    that folder. On any failure ``out`` is left as it was.
    """
    out = Path(out)
    check_writable(out)
    folder = out.resolve().parent
    mode = (out.stat().st_mode & 0o7777) if out.exists() else 0o644
    tmp = folder / f"{_TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{out.suffix}"
    fd = _unnamed_file(folder)
    try:
        if fd is not None:
            with os.fdopen(fd, "wb") as fh:
                fd = None
                write(fh)
                fh.flush()
                os.fchmod(fh.fileno(), mode)
                os.fsync(fh.fileno())
                try:
                    os.link(f"/proc/self/fd/{fh.fileno()}", tmp, follow_symlinks=True)
                except OSError:
                    fh.seek(0)
                    _write_named(tmp, lambda dst: _copy_back(fh, dst), mode)
        else:
            _write_named(tmp, write, mode)
        os.replace(tmp, out)
    except BaseException as exc:
        if fd is not None:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, WorkbookError):
            reason = exc.strerror or str(exc)
            raise WorkbookError(f"cannot be written ({reason}); the file was left as it was", where=str(out)) from None
        raise
    try:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _copy_back(src: BinaryIO, dst: BinaryIO) -> None:
    """Copy an unnamed file (opened for writing) into ``dst`` through /proc (it cannot be read back)."""
    with open(f"/proc/self/fd/{src.fileno()}", "rb") as rd:
        while chunk := rd.read(1 << 20):
            dst.write(chunk)


def _write_named(tmp: Path, write: Callable[[BinaryIO], None], mode: int) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        write(fh)
        fh.flush()
        os.fchmod(fh.fileno(), mode)
        os.fsync(fh.fileno())


def atomic_write_bytes(out: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``out`` atomically (:func:`atomic_write`)."""
    atomic_write(Path(out), lambda fh: fh.write(data))
