"""Drive LibreOffice headless: full recalculation of a workbook, or conversion to PDF.

Used by the cross-check tests (a real spreadsheet recomputes the template's
native ``SUMPRODUCT`` cells), the recompute benchmark (the baseline) and the
screenshot renderer. LibreOffice keeps stored values on load by default, so a
private profile sets ``OOXMLRecalcMode`` to 0 (always recalculate). Only one
``soffice`` may use a profile at a time (a second hands its job to the first),
so calls are serialised with a lock file.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from xlhedge.engine.errors import XlhedgeError

__all__ = ["soffice_path", "recalculate", "convert"]

_RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile(recalc: bool) -> Path:
    """A private profile: recalculate on load always (mode 0) or never (mode 1, keep stored values)."""
    mode = 0 if recalc else 1
    base = Path(tempfile.gettempdir()) / f"xlhedge-lo-profile-{os.getuid()}-recalc{mode}"
    user = base / "user"
    user.mkdir(parents=True, exist_ok=True)
    xcu = user / "registrymodifications.xcu"
    text = _RECALC_XCU.format(mode=mode)
    if not xcu.exists() or xcu.read_text(errors="ignore") != text:
        xcu.write_text(text)
    return base


def convert(
    path: str | os.PathLike[str], to: str, outdir: str | os.PathLike[str], timeout: float = 300, *, recalc: bool = True
) -> tuple[Path, float]:
    """Convert ``path`` with LibreOffice (``to`` = "xlsx", "pdf", ...); return (output, seconds).

    With ``recalc`` the workbook is fully recalculated on load, so an ``xlsx``
    output holds LibreOffice's own values for every formula it knows; without
    it the stored values are kept (rendering a book whose xlhedge functions
    LibreOffice does not have).
    """
    exe = soffice_path()
    if exe is None:
        raise XlhedgeError("LibreOffice (soffice) is not installed")
    src = Path(path).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    profile = _profile(recalc)
    lock_path = profile.with_suffix(".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        cmd = [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(src),
        ]
        t0 = time.perf_counter()
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": str(profile)}
        )
        seconds = time.perf_counter() - t0
    out = outdir / (src.stem + "." + to.split(":")[0])
    if proc.returncode != 0 or not out.exists():
        raise XlhedgeError(f"LibreOffice could not convert {src.name}: {proc.stderr.strip() or proc.stdout.strip()}")
    return out, seconds


def recalculate(path: str | os.PathLike[str], outdir: str | os.PathLike[str]) -> tuple[Path, float]:
    """Recalculate every formula with LibreOffice; return (recalculated .xlsx, seconds)."""
    return convert(path, "xlsx", outdir)


def render_pages(path: str | os.PathLike[str], outdir: str | os.PathLike[str], *, dpi: int = 80) -> list[Path]:
    """Render every sheet of a workbook to PNG pages (LibreOffice PDF, then pdftoppm).

    LibreOffice does not have xlhedge's functions, so it renders a copy in which
    every formula is replaced by the value xlhedge stored (run ``recompute`` first).
    """
    from xlhedge.workbook.package import open_package

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise XlhedgeError("pdftoppm (poppler-utils) is not installed")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    src = Path(path)
    static = outdir / f"{src.stem}.xlsx"
    pkg = open_package(src)
    for name in pkg.sheet_order:
        pkg.drop_formulas(name)
    pkg.save(static)
    pdf, _ = convert(static, "pdf", outdir, recalc=False)
    prefix = outdir / src.stem
    subprocess.run([pdftoppm, "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True, timeout=300)
    return sorted(outdir.glob(f"{src.stem}-*.png"))
