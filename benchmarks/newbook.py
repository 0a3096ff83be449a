"""`xlhedge new --positions 16000` against a process that only imports openpyxl.

``new`` builds the template with openpyxl (the Book sheet's 16,000 position columns), writes it
and recomputes it so every formula has a stored value; the baseline is the import of the library
that writes it. Both are fresh processes (medians, after one warm-up run). Goal ≤ 10×.

    python benchmarks/newbook.py [--repeat 3] [--positions 16000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import PY, Row, median_process

POSITIONS = 16_000


def collect(repeat: int = 3, positions: int = POSITIONS) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="xlhedge-bench-new-"))
    try:
        out = work / "wide.xlsx"
        t_new, mem = median_process(
            [PY, "-m", "xlhedge", "new", str(out), "--positions", str(positions), "--force"], repeat
        )
        t_imp, _ = median_process([PY, "-c", "import openpyxl"], repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    note = f"peak {mem:,.0f} MiB" if mem is not None else ""
    return [
        Row(f"`xlhedge new --positions {positions:,}`", t_new, '`python -c "import openpyxl"`', t_imp, 10.0, note=note)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--positions", type=int, default=POSITIONS)
    args = ap.parse_args()
    for r in collect(args.repeat, args.positions):
        print(
            f"{r.name}: {r.xlhedge:.2f} s | {r.baseline_name}: {r.baseline:.3f} s | {r.ratio:.2f}× (goal ≤ {r.goal:g}×)"
        )


if __name__ == "__main__":
    main()
