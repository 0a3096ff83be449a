"""The one place that opens an OPC package: the zip behind .xlsx, .xlsm and .xlam files.

:class:`OpcPackage` reads parts by name (a read-only mapping part name ->
bytes, in the zip's order), resolves relationships (the package's
``_rels/.rels`` and any part's ``<dir>/_rels/<name>.rels``, targets relative
to the part or absolute) and content types (``[Content_Types].xml``), and
writes a new package: every member copied, the replaced ones with new bytes.
:func:`atomic_write` puts a file in place in one rename (a temporary file
beside the target), so a failed write leaves the old file untouched.

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
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.xml.constants import ARC_CONTENT_TYPES, CONTYPES_NS, PKG_REL_NS, REL_NS

from xlhedge.engine.errors import WorkbookError

__all__ = ["OFFICE_DOCUMENT", "OpcPackage", "Relationship", "XML_PARSER", "atomic_write", "atomic_write_bytes"]

#: Relationship type of a package's main part (the workbook of a spreadsheet).
OFFICE_DOCUMENT = REL_NS + "/officeDocument"

#: The parser for every XML part: no entity expansion, no network, big parts allowed.
XML_PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False, resolve_entities=False, no_network=True)

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
        self._infos = infos
        self._names = {info.filename for info in infos}
        self._rels: dict[str, list[Relationship]] = {}
        self._types: tuple[dict[str, str], dict[str, str]] | None = None

    @classmethod
    def open(cls, source: str | os.PathLike[str] | bytes, *, where: str | None = None, kind: str = _KIND) -> OpcPackage:
        """A package from a file or from bytes (``where`` defaults to the path)."""
        if isinstance(source, bytes):
            return cls(source, where=where or "<bytes>", kind=kind)
        path = Path(source)
        try:
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
    def __getitem__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        return self.read(name)

    def __iter__(self) -> Iterator[str]:
        return (info.filename for info in self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        """The part's bytes; a :class:`WorkbookError` naming it when missing or damaged."""
        if name not in self._names:
            raise WorkbookError(f"has no part {name}", where=self.where)
        return self._read_entry(name)

    def _read_entry(self, entry: str | zipfile.ZipInfo) -> bytes:
        try:
            return self._zip.read(entry)
        except _ZIP_ERRORS as exc:
            name = entry if isinstance(entry, str) else entry.filename
            raise WorkbookError(f"the part {name} cannot be read ({exc})", where=self.where) from None

    def xml(self, name: str) -> etree._Element:
        """The part parsed as XML (:data:`XML_PARSER`)."""
        data = self.read(name)
        try:
            return etree.fromstring(data, parser=XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise WorkbookError(f"the part {name} is damaged ({exc})", where=self.where) from None

    # ------------------------------------------------------------ relationships
    def relationships(self, source: str = "") -> list[Relationship]:
        """The relationships of part ``source`` ("" = the package's own, ``_rels/.rels``); [] when none."""
        rels = self._rels.get(source)
        if rels is None:
            rels_part = get_rels_path(source)
            rels = []
            if rels_part in self._names:
                base = posixpath.dirname(source)
                for r in self.xml(rels_part).iter(_REL):
                    target = r.get("Target", "")
                    external = r.get("TargetMode") == "External"
                    if not external:
                        target = resolve_target(base, target)
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
            if ARC_CONTENT_TYPES in self._names:
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


def resolve_target(base: str, target: str) -> str:
    """A relationship target as a part name: absolute (``/xl/x.xml``) or relative to the folder ``base``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def atomic_write(out: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write`` on a temporary file beside ``out``, then move it over ``out`` in one rename.

    The file is flushed to disk first; it keeps the permissions of the file it
    replaces (0644 for a new one). On any failure the temporary file is
    removed and ``out`` is left as it was.
    """
    out = Path(out)
    folder = out.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=".~xlhedge-", suffix=out.suffix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if out.exists():
            os.chmod(tmp, out.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_bytes(out: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``out`` atomically (:func:`atomic_write`)."""
    atomic_write(Path(out), lambda fh: fh.write(data))
