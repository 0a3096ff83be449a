"""Start-up: fresh processes of `import xlhedge`, `xlhedge --help`, `import xlhedge.udfs` vs `import numpy`.

Each command runs as a fresh interpreter, once to warm the bytecode cache, then ``--repeat``
times; the medians are compared with a fresh ``python -c "import numpy"`` measured in the
same run. Goals (issue 13): ``import xlhedge`` ≤ 2.5×, ``xlhedge --help`` ≤ 4× that of
``import numpy``; ``import xlhedge.udfs`` after xlwings adds little to ``import xlwings``.

    python benchmarks/startup.py [--repeat 9]
"""

from __future__ import annotations

import argparse
import importlib.util

from _common import PY, Row, median_process


def collect(repeat: int = 9) -> list[Row]:
    numpy, _ = median_process([PY, "-c", "import numpy"], repeat)
    imp, _ = median_process([PY, "-c", "import xlhedge"], repeat)
    helps, _ = median_process([PY, "-m", "xlhedge", "--help"], repeat)
    rows = [
        Row("`import xlhedge`", imp, "`import numpy`", numpy, 2.5),
        Row("`xlhedge --help`", helps, "`import numpy`", numpy, 4.0),
    ]
    if importlib.util.find_spec("xlwings") is not None:
        xw, _ = median_process([PY, "-c", "import xlwings"], repeat)
        udfs, _ = median_process([PY, "-c", "import xlwings, xlhedge.udfs"], repeat)
        rows.append(Row("`import xlwings, xlhedge.udfs`", udfs, "`import xlwings`", xw, None, note="no goal"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=9)
    for r in collect(ap.parse_args().repeat):
        goal = f"goal ≤ {r.goal:g}×" if r.goal else ""
        print(f"{r.name:<34} {r.xlhedge:6.3f} s | {r.baseline_name:<18} {r.baseline:6.3f} s | {r.ratio:5.2f}× {goal}")


if __name__ == "__main__":
    main()
