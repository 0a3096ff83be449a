"""Recompute real workbooks nobody here wrote, and check xlhedge leaves them whole.

Usage::

    python scripts/corpus.py                      # the sample in tests/data/corpus
    python scripts/corpus.py --git-dir DIR@PREFIX  # every .xlsx/.xlsm under PREFIX of a git mirror (repeatable)
    python scripts/corpus.py --folder DIR --libreoffice 20

Each file is recomputed twice through the CLI (in-process):

1. **as is** — a file with no xlhedge formula must come back untouched (same bytes,
   inode and modification time); any file must give exit 0, 1 or 2 (2 with one line
   naming the file), never 3 or a traceback;
2. **with an injected** ``=FACTOR_EXPOSURE(...)`` cell in its first worksheet — every zip
   member other than that worksheet must stay byte-identical, the output must open in
   openpyxl (when the input does) and, for a sample, in LibreOffice.

Also: the two cell readers (the fast scan and the lxml reference) must agree on every
worksheet of every readable file. Prints one line per problem and the counts.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from lxml import etree
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlhedge.cli import app  # noqa: E402
from xlhedge.engine.errors import WorkbookError  # noqa: E402
from xlhedge.workbook.opc import XML_PARSER  # noqa: E402
from xlhedge.workbook.package import open_package, reference_cells  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "corpus"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
INJECTED = "FACTOR_EXPOSURE({col}1:{col}3)"
_runner = CliRunner()


@dataclass
class Outcome:
    """What happened to one file: ``kind`` per variant ("ok", "refused", "internal", "damaged", "skipped")."""

    name: str
    as_is: str = ""
    injected: str = ""
    readers: str = ""
    problems: list[str] = field(default_factory=list)
    output: Path | None = None


def _recompute(path: Path, *args: str) -> tuple[int, str]:
    r = _runner.invoke(app, ["recompute", str(path), *args, "-q"], catch_exceptions=True)
    err = r.stderr
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        err += f"\nTraceback: {r.exception!r}"
    return r.exit_code, err


def _kind(code: int, err: str) -> str:
    if code == 3 or "Traceback" in err or "internal error" in err:
        return "internal"
    if code == 2:
        return "refused"
    return "ok"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _opens(path: Path) -> bool:
    try:
        openpyxl.load_workbook(path).close()
    except Exception:
        return False
    return True


def inject(data: bytes) -> tuple[bytes, str] | None:
    """The package with one FACTOR_EXPOSURE cell added below the first worksheet's cells; (bytes, member)."""
    try:
        pkg = open_package(data)
    except WorkbookError:
        return None
    if not pkg.sheet_order:
        return None
    member = pkg.sheets[pkg.sheet_order[0]].member
    try:
        parts = _members(data)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None  # a damaged member elsewhere: the as-is run covers it
    try:
        root = etree.fromstring(parts[member], XML_PARSER)
    except etree.XMLSyntaxError:
        return None
    sd = root.find(f"{{{MAIN}}}sheetData")
    if sd is None:
        return None
    last = 0
    for row in sd.iterchildren(f"{{{MAIN}}}row"):
        try:
            last = max(last, int(row.get("r") or last + 1))
        except ValueError:
            return None
    if last >= 1_048_570:
        return None
    r = last + 2
    row = etree.SubElement(sd, f"{{{MAIN}}}row", r=str(r))
    c = etree.SubElement(row, f"{{{MAIN}}}c", r=f"A{r}")
    etree.SubElement(c, f"{{{MAIN}}}f").text = INJECTED.format(col="A")
    parts[member] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, parts[info.filename], compress_type=info.compress_type)
    return buf.getvalue(), member


def check(src: Path, work: Path) -> Outcome:
    """Recompute one file as is and with an injected xlhedge cell; record every broken guarantee."""
    out = Outcome(src.name)
    data = src.read_bytes()
    work.mkdir(parents=True, exist_ok=True)
    a = work / ("asis" + src.suffix)
    a.write_bytes(data)
    st0 = a.stat()
    code, err = _recompute(a)
    out.as_is = _kind(code, err)
    if out.as_is == "internal":
        out.problems.append(f"as is: exit {code}: {err.strip()[:300]}")
    elif out.as_is == "refused":
        lines = [ln for ln in err.splitlines() if ln.strip()]
        if len(lines) != 1 or src.name[:20] not in lines[0] and "asis" not in lines[0]:
            out.problems.append(f"as is: refusal not one line naming the file: {err.strip()[:300]}")
        if a.read_bytes() != data:
            out.problems.append("as is: refused but the file changed")
    else:
        try:
            has_xl = any(True for _ in _xlhedge_cells(data))
        except WorkbookError:
            has_xl = True
        st1 = a.stat()
        if not has_xl and (a.read_bytes() != data or (st0.st_ino, st0.st_mtime_ns) != (st1.st_ino, st1.st_mtime_ns)):
            out.problems.append("as is: a book with no xlhedge formula was rewritten")
    # The two readers.
    out.readers = _readers_agree(data, out)
    # Injected.
    inj = inject(data)
    if inj is None:
        out.injected = "skipped"
        return out
    inj_data, member = inj
    b = work / ("inj" + src.suffix)
    b.write_bytes(inj_data)
    o = work / ("out" + src.suffix)
    o.unlink(missing_ok=True)
    code, err = _recompute(b, "-o", str(o))
    out.injected = _kind(code, err)
    if out.injected == "internal":
        out.problems.append(f"injected: exit {code}: {err.strip()[:300]}")
    if out.injected != "ok":
        return out
    if not o.exists():
        out.problems.append("injected: exit 0/1 but no output")
        out.injected = "damaged"
        return out
    before, after = _members(inj_data), _members(o.read_bytes())
    changed = sorted(k for k in before if before[k] != after.get(k))
    if before.keys() != after.keys() or set(changed) - {member}:
        out.problems.append(f"injected: other members changed: {sorted(set(changed) - {member})}")
        out.injected = "damaged"
    if _opens(b) and not _opens(o):
        out.problems.append("injected: the output does not open in openpyxl (the input does)")
        out.injected = "damaged"
    pkg = open_package(o)
    first = pkg.sheet(pkg.sheet_order[0])
    cell = max(k for k in first.formulas if first.formulas[k].formula == INJECTED.format(col="A"))
    if first.values.get(cell) in (None, ""):
        if code == 1 and err.strip():
            out.injected = "reported"  # the book as a whole failed (a circular reference...), and said so
        else:
            out.problems.append("injected: the FACTOR_EXPOSURE cell has no value and nothing was reported")
            out.injected = "damaged"
    out.output = o
    return out


def _xlhedge_cells(data: bytes):
    from xlhedge.calc.formula import function_calls
    from xlhedge.functions.registry import registry

    names = registry().keys()
    pkg = open_package(data)
    for sheet in pkg.sheet_order:
        for _, _, f in pkg.iter_formulas(sheet):
            if f.formula and function_calls(f.formula) & names:
                yield f


def _readers_agree(data: bytes, out: Outcome) -> str:
    try:
        pkg = open_package(data)
        for sheet in pkg.sheet_order:
            scanned = pkg.sheet(sheet)
            values, formulas = reference_cells(pkg, sheet)
            if scanned.values != values or scanned.formulas != formulas:
                diff = sorted(
                    k for k in scanned.values.keys() | values.keys() if scanned.values.get(k) != values.get(k)
                )[:3]
                out.problems.append(
                    f"readers disagree on {sheet}: {[(k, scanned.values.get(k), values.get(k)) for k in diff]}"
                )
                return "disagree"
    except WorkbookError:
        return "unreadable"
    return "agree"


def _from_git(spec: str, dest: Path) -> list[Path]:
    """Extract every .xlsx/.xlsm under PREFIX of the git mirror DIR (``DIR@PREFIX``) into ``dest``."""
    git_dir, _, prefix = spec.partition("@")
    names = subprocess.run(
        ["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", "HEAD", prefix],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    files = []
    dest.mkdir(parents=True, exist_ok=True)
    tag = Path(git_dir.rstrip("/")).parent.name if Path(git_dir).name == "repo" else Path(git_dir).name
    for name in names:
        if not name.lower().endswith((".xlsx", ".xlsm")):
            continue
        blob = subprocess.run(["git", "--git-dir", git_dir, "show", f"HEAD:{name}"], capture_output=True, check=True)
        p = dest / f"{tag}__{name.replace('/', '__')}"
        p.write_bytes(blob.stdout)
        files.append(p)
    return files


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore")  # openpyxl's notes on what it drops when it opens a file
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--git-dir", action="append", default=[], help="DIR@PREFIX of a git mirror (repeatable)")
    ap.add_argument("--folder", action="append", default=[], type=Path, help="a folder of workbooks (repeatable)")
    ap.add_argument("--libreoffice", type=int, default=0, help="open this many outputs in LibreOffice too")
    ap.add_argument("--keep", type=Path, help="copy the files with problems here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        files: list[Path] = []
        for spec in args.git_dir:
            files += _from_git(spec, Path(tmp) / "src")
        for folder in args.folder or ([] if args.git_dir else [SAMPLE]):
            files += sorted(p for p in folder.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))
        counts: Counter[str] = Counter()
        lo_left = args.libreoffice
        lo_ok = lo_bad = 0
        for i, f in enumerate(files):
            o = check(f, Path(tmp) / "work" / str(i))
            counts[f"as is: {o.as_is}"] += 1
            counts[f"injected: {o.injected}"] += 1
            counts[f"readers: {o.readers}"] += 1
            if lo_left and o.output is not None:
                lo_left -= 1
                from xlhedge.workbook.libreoffice import convert

                try:
                    convert(o.output, "csv", Path(tmp) / "lo" / str(i), timeout=120, recalc=False)
                    lo_ok += 1
                except Exception as exc:
                    lo_bad += 1
                    o.problems.append(f"LibreOffice: {exc}")
            for p in o.problems:
                print(f"{f.name}: {p}", flush=True)
            if o.problems:
                counts["files with problems"] += 1
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(f, args.keep / f.name)
        print(f"\n{len(files)} files")
        for k in sorted(counts):
            print(f"  {k}: {counts[k]}")
        if args.libreoffice:
            print(f"  LibreOffice opened {lo_ok} outputs, failed on {lo_bad}")
        return 1 if counts["files with problems"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
