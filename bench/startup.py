"""Benchmark: how long the ``huiwu`` command takes as a whole process, imports included.

Run from the repository root with ``.venv/bin/python bench/startup.py`` (options: ``--repeat K``,
default 10). Each case runs the installed ``huiwu`` command K times in a fresh process and prints
the median, minimum and maximum wall-clock time, against the goals of issue 11: ``huiwu --help``
and ``huiwu --version`` under 0.3 s, and a DOCX-only build of ``data/mobilisation/meeting.yaml``
under 1 s. It also prints what ``python -X importtime`` reports as the slowest imports of a
``--version`` run, which is where start-up time goes. Nothing is asserted: the test suite has no
timed checks, and these machines are shared.

Each command runs once untimed first, with huiwu's modules compiled to bytecode as an installed
huiwu has them (``PYTHONDONTWRITEBYTECODE``, set on this project's machines, is left out).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HUIWU = Path(sys.executable).with_name("huiwu")
EXAMPLE = ROOT / "data" / "mobilisation" / "meeting.yaml"
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs of ``command``, each in a fresh process (after
    one untimed run that compiles what it imports)."""
    subprocess.run(command, check=True, capture_output=True, env=ENV)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=ENV)
        times.append(time.perf_counter() - start)
    return times


def slowest_imports(count: int = 8) -> list[tuple[int, str]]:
    """The ``count`` imports with the largest cumulative time (µs) in ``huiwu --version``."""
    code = "import sys; from huiwu.cli import main; sys.argv=['huiwu','--version']; main()"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=ENV
    )
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huiwu-bench-") as scratch:
        cases = [
            ("huiwu --help", [str(HUIWU), "--help"], 0.3),
            ("huiwu --version", [str(HUIWU), "--version"], 0.3),
            (
                "huiwu build（动员大会，仅 DOCX）",
                [str(HUIWU), "build", str(EXAMPLE), "-o", f"{scratch}/out", "--force"],
                1.0,
            ),
        ]
        print(f"{'case':<34}{'median':>9}{'min':>9}{'max':>9}{'goal':>8}")
        for label, command, goal in cases:
            times = timed(command, args.repeat)
            median = statistics.median(times)
            verdict = "ok" if median < goal else "MISSED"
            print(
                f"{label:<34}{median:>8.3f}s{min(times):>8.3f}s{max(times):>8.3f}s"
                f"{goal:>7.1f}s {verdict}"
            )
    print("\nslowest imports of huiwu --version (cumulative µs):")
    for micros, name in slowest_imports():
        print(f"{micros:>10}  {name}")


if __name__ == "__main__":
    main()
