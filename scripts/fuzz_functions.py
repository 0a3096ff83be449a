"""Heavier run of the worksheet-function fuzz (tests/test_fuzz_functions.py).

    python scripts/fuzz_functions.py [EXAMPLES]        # default 500 examples per function and property

The suite runs 8 examples per function (seconds); this runs many more with the same
properties: only xlhedge's own error messages, no numpy warning, no inf (and no NaN from
ordinary finite inputs). Exit code is pytest's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "500"
    env = {**os.environ, "XLHEDGE_FUZZ_EXAMPLES": examples, "PYTHONPATH": str(ROOT)}
    test = ROOT / "tests" / "test_fuzz_functions.py"
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)], env=env)


if __name__ == "__main__":
    sys.exit(main())
