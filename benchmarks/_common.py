"""What the benchmarks share: timing, fresh processes, peak memory, and the result rows.

Every benchmark measures xlhedge and its baseline in the same run (this machine is shared:
only ratios from one run mean anything) and reports :class:`Row` s, which ``run.py``
prints and writes into the README and docs/benchmarks.md.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    """One target: xlhedge's figure, the baseline's, their ratio and the goal (ratio ≤ goal)."""

    name: str
    xlhedge: float
    baseline_name: str
    baseline: float
    goal: float | None
    unit: str = "s"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.xlhedge / self.baseline

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.ratio <= self.goal


def env() -> dict[str, str]:
    """The environment for child processes: this checkout first on the path, no progress bars."""
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    e["XLHEDGE_NO_PROGRESS"] = "1"
    return e


def median_time(f: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``repeat`` calls (after one warm-up call)."""
    f()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_process(cmd: list[str], *, cwd: Path | None = None) -> tuple[float, float | None]:
    """Wall seconds and peak RSS (MiB) of one fresh process running only ``cmd``.

    The memory comes from GNU time (``/usr/bin/time -f %M``), which starts the command from
    its own small process, so the figure is the command's own (not inherited from this
    benchmark's memory); None where GNU time is not installed.
    """
    gnu_time = shutil.which("time") if Path("/usr/bin/time").exists() else None
    full = ["/usr/bin/time", "-f", "XLHEDGE_MAXRSS %M", *cmd] if gnu_time else cmd
    t = time.perf_counter()
    r = subprocess.run(full, cwd=cwd, env=env(), capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr[-2000:]}")
    rss = None
    for line in r.stderr.splitlines():
        if line.startswith("XLHEDGE_MAXRSS "):
            rss = int(line.split()[1]) / 1024
    return seconds, rss


def median_process(cmd: list[str], repeat: int, *, cwd: Path | None = None) -> tuple[float, float | None]:
    """Median wall time and the largest peak RSS over ``repeat`` fresh processes (after one warm-up
    run, which also fills the bytecode cache)."""
    run_process(cmd, cwd=cwd)
    runs = [run_process(cmd, cwd=cwd) for _ in range(repeat)]
    mems = [m for _, m in runs if m is not None]
    return statistics.median(s for s, _ in runs), (max(mems) if mems else None)


PY = sys.executable
