"""Every speed goal of issue 15, measured side by side, in one command (run by hand, never in
the tests)::

    .venv/bin/python bench/run.py            # the full set (a few minutes)
    .venv/bin/python bench/run.py --quick    # fewer letters and repeats, to try a change
    .venv/bin/python bench/run.py --folder /mnt/x   # write the letters and PDFs there

The letters and PDFs are written to memory (``/dev/shm``, where there is one; else
``bench/.work``): on this project's virtual machines creating a file on disk costs from 0.04 to
0.6 ms, depending on whether the disk blocks were written before (a thin disk that is trimmed),
which swamps what huiwu spends on a letter and changes from run to run. The cost of creating a
file there and on disk beside the project is printed first, so that the disk shows. Each time
is the median of several runs, printed with the fastest and slowest; each peak
memory comes from a fresh process per size (its own high-water mark, ``VmHWM``, not the
``ru_maxrss`` a child inherits from the parent that started it). The goals:

- letters: the whole batch (``huiwu letters``: inputs, contexts, render, pack, write, manifest)
  ≥ 30× a plain ``DocxTemplate(path).render().save()`` loop with the same contexts, and ≤ 3×
  deflating each letter's document part alone (zlib level 6, the floor of any DOCX writer);
- the allocation table: the cost per letter the same at 100 and 1,000 units (ratio ≤ 1.5);
- memory: the peak writing 10,000 letters (with the print file) within 10 % of 1,000;
- PDF: ≤ 0.07 s a document for the 7-document packet once LibreOffice is warm (its cold start
  is reported apart);
- a DOCX packet (``huiwu build``, a fresh process, imports included, huiwu's modules compiled
  to bytecode as an installed huiwu has them) < 1 s.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "data" / "responsibility-letters" / "meeting.yaml"
PACKET = ROOT / "data" / "leading-group" / "meeting.yaml"
MEMORY = Path("/dev/shm")
DISK = ROOT / "bench" / ".work"


@dataclass(frozen=True)
class Figure:
    """A measured value: median, min and max of the runs."""

    median: float
    low: float
    high: float

    def text(self, unit: str, scale: float = 1.0) -> str:
        """``12.3 ms [11.9–13.0]``."""
        return f"{self.median * scale:.3f} {unit} [{self.low * scale:.3f}–{self.high * scale:.3f}]"


def measure(run: Callable[[], float], repeats: int) -> Figure:
    """Run ``run`` (which returns a value) ``repeats`` times."""
    values = [run() for _ in range(repeats)]
    return Figure(statistics.median(values), min(values), max(values))


def timed(work: Callable[[], object], per: int = 1) -> Callable[[], float]:
    """A run that times ``work`` and divides by ``per``."""

    def run() -> float:
        start = time.perf_counter()
        work()
        return (time.perf_counter() - start) / per

    return run


def letters_definition(folder: Path, units: int, *, allocation: bool) -> Path:
    """The letters example with ``units`` invented units, with or without the allocation table."""
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    text = LETTERS.read_text(encoding="utf-8")
    if not allocation:
        text = text.replace("allocation_table: true", "")
    elif "allocation_table: true" not in text:
        raise SystemExit("the letters example no longer has allocation_table: true")
    definition = folder / "meeting.yaml"
    definition.write_text(text, encoding="utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("配额基数")
    sheet.append(["单位", "总人口", "上年征收额", "村数", "乙方全称"])
    for i in range(units):
        unit = f"第{i + 1:05d}镇"
        sheet.append([unit, 20000 + (7919 * i) % 90000, 50 + (37 * i) % 200, 12, f"{unit}人民政府"])
    book.save(folder / "责任书数据.xlsx")
    return definition


def letters_goals(folder: Path, count: int, repeats: int) -> list[tuple[str, str, float, float]]:
    """(goal, measured, ratio, limit) rows for the letter batch."""
    from docxtpl import DocxTemplate
    from huiwu import api
    from huiwu.definition.load import load_definition
    from huiwu.publish.packet import letter_set
    from huiwu.render.renderer import Renderer
    from huiwu.text.jinja import environment

    definition = letters_definition(folder / "letters", count, allocation=False)
    loaded = load_definition(definition)
    runs = iter(range(10**6))

    def build() -> None:
        out = folder / f"out{next(runs)}"
        api.build_letters(definition, api.BuildOptions(out_dir=out, combined=False))

    batch = measure(timed(build, count), repeats)
    os.environ["HUIWU_WORKERS"] = "1"
    one_process = measure(timed(build, count), repeats)
    del os.environ["HUIWU_WORKERS"]
    letters = letter_set(loaded)
    renderer = Renderer()
    documents = [
        renderer.render_document(letters.template, letters.context(unit)).document_xml
        for unit in letters.units
    ]

    def deflate_all() -> None:
        for document in documents:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            compressor.compress(document)
            compressor.flush()

    floor = measure(timed(deflate_all, count), repeats)
    sample = letters.units[: min(count, 200)]
    contexts = [letters.context(unit) for unit in sample]

    def plain_loop() -> None:
        for context in contexts:
            template = DocxTemplate(letters.template)
            template.render(context, jinja_env=environment(autoescape=True), autoescape=True)
            template.save(io.BytesIO())

    plain = measure(timed(plain_loop, len(sample)), max(1, repeats // 2))
    written = list((folder / "out0").glob("*.docx"))
    size = sum(path.stat().st_size for path in written) / max(1, len(written))
    ms = 1000.0
    return [
        (f"letters ({count:,}), whole batch", batch.text("ms/letter", ms), 0, 0),
        ("  a letter's file, on average", f"{size / 1024:.1f} KB", 0, 0),
        ("  the same batch in one process", one_process.text("ms/letter", ms), 0, 0),
        ("plain docxtpl loop", plain.text("ms/letter", ms), 0, 0),
        ("deflate floor (document part, zlib 6)", floor.text("ms/letter", ms), 0, 0),
        ("letters vs plain docxtpl loop (≥ 30×)", "", plain.median / batch.median, 30),
        ("letters vs deflate floor (≤ 3×)", "", batch.median / floor.median, -3),
    ]


def allocation_goal(
    folder: Path, sizes: list[int], repeats: int
) -> list[tuple[str, str, float, float]]:
    """Letters with the allocation table: cost per letter at each size, and the ratio."""
    from huiwu import api

    figures = []
    for units in sizes:
        base = folder / f"alloc{units}"
        definition = letters_definition(base, units, allocation=True)
        outputs = (base / f"out{n}" for n in range(10**6))
        figure = measure(
            timed(
                lambda definition=definition, outputs=outputs: api.build_letters(
                    definition, api.BuildOptions(out_dir=next(outputs), combined=False)
                ),
                units,
            ),
            repeats,
        )
        figures.append((units, figure))
    rows = [
        (f"letters with allocation table, {units:,} units", f.text("ms/letter", 1000.0), 0, 0)
        for units, f in figures
    ]
    ratio = figures[-1][1].median / figures[0][1].median
    rows.append((f"per letter at {sizes[-1]:,} ÷ at {sizes[0]:,} units (≤ 1.5×)", "", ratio, -1.5))
    return rows


_CHILD = """
import sys, time
from pathlib import Path
from huiwu import api
definition = Path(sys.argv[1])
options = api.BuildOptions(out_dir=definition.parent / "out", combined=True, force=True)
api.build_letters(definition, options)
status = Path("/proc/self/status")
if status.is_file():
    peak = next(int(l.split()[1]) for l in status.read_text().splitlines() if l.startswith("VmHWM"))
else:
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak)
"""


def memory_goal(
    folder: Path, sizes: list[int], repeats: int
) -> list[tuple[str, str, float, float]]:
    """Peak memory of a fresh process writing each number of letters and the print file."""
    peaks = []
    for count in sizes:
        definition = letters_definition(folder / f"mem{count}", count, allocation=False)

        def child(definition: Path = definition) -> float:
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, str(definition)],
                check=True,
                capture_output=True,
                text=True,
            )
            return int(done.stdout.split()[-1]) / 1024

        peaks.append((count, measure(child, repeats)))
    rows = [(f"peak memory, {count:,} letters", f.text("MiB"), 0, 0) for count, f in peaks]
    ratio = peaks[-1][1].median / peaks[0][1].median
    rows.append((f"peak at {sizes[-1]:,} ÷ at {sizes[0]:,} (≤ 1.10×)", "", ratio, -1.10))
    return rows


def pdf_goal(folder: Path, repeats: int) -> list[tuple[str, str, float, float]]:
    """PDF of the 7-document packet: cold start, then warm per document."""
    from huiwu.publish import pdf

    out = folder / "packet"
    subprocess.run(
        [sys.executable, "-m", "huiwu", "build", str(PACKET), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    sources = sorted(out.glob("*.docx"))
    runs = iter(range(10**6))

    def convert() -> None:
        target = folder / f"pdf{next(runs)}"
        pdf.convert([pdf.Job(source, target / (source.stem + ".pdf")) for source in sources])

    pdf.shutdown()
    cold = timed(convert)()
    warm = measure(timed(convert, len(sources)), repeats)
    pdf.shutdown()
    mode = "warm LibreOffice" if pdf.warm() is not None else "one-shot LibreOffice (no uno)"
    pdf.shutdown()
    return [
        (f"PDF, cold start + {len(sources)} documents", f"{cold:.3f} s", 0, 0),
        (f"PDF per document, {mode}", warm.text("s/doc"), 0, 0),
        ("PDF per document (≤ 0.07 s)", "", warm.median / 0.07, -1.0),
    ]


def packet_goal(folder: Path, repeats: int) -> list[tuple[str, str, float, float]]:
    """``huiwu build`` of the 7-document packet in a fresh process.

    With huiwu's modules compiled to bytecode, as an installed huiwu has them (pip compiles
    them when installing): where ``PYTHONDONTWRITEBYTECODE`` is set (as on this project's
    machines), every fresh process would compile huiwu's source again, some 50 ms that no
    user's build spends. A first build, not timed, writes the bytecode."""
    runs = iter(range(10**6))
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

    def build() -> None:
        out = folder / f"docx{next(runs)}"
        subprocess.run(
            [sys.executable, "-m", "huiwu", "build", str(PACKET), "-o", str(out)],
            check=True,
            capture_output=True,
            env=env,
        )

    build()
    figure = measure(timed(build), repeats)
    imports = measure(
        timed(
            lambda: subprocess.run(
                [sys.executable, "-c", "import huiwu.cli"], check=True, capture_output=True, env=env
            )
        ),
        repeats,
    )
    return [
        ("DOCX packet, huiwu build (fresh process)", figure.text("s"), 0, 0),
        ("  of which starting Python and importing huiwu.cli", imports.text("s"), 0, 0),
        ("DOCX packet (< 1 s)", "", figure.median / 1.0, -1.0),
    ]


def file_cost(folder: Path, count: int = 500) -> float:
    """Seconds to create and write one letter-sized file in a new folder inside ``folder``."""
    target = folder / "files"
    target.mkdir()
    data = b"x" * 9300
    start = time.perf_counter()
    for index in range(count):
        (target / f"{index}.docx").write_bytes(data)
    return (time.perf_counter() - start) / count


def report(rows: list[tuple[str, str, float, float]]) -> None:
    """Print measured rows, and ratio rows with whether they meet their goal."""
    for label, measured, ratio, limit in rows:
        if limit == 0:
            print(f"  {label:<58}{measured}")
        else:
            met = ratio >= limit if limit > 0 else ratio <= -limit
            print(f"  {label:<58}{ratio:8.2f}×   {'met' if met else 'NOT MET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer letters and repeats")
    parser.add_argument("--only", nargs="*", help="letters allocation memory pdf packet")
    parser.add_argument(
        "--folder",
        type=Path,
        default=MEMORY if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) else DISK,
        help="where the letters and PDFs are written (default: /dev/shm, else bench/.work)",
    )
    args = parser.parse_args()
    quick = args.quick
    repeats = 3 if quick else 5
    wanted = set(args.only or ["letters", "allocation", "memory", "pdf", "packet"])
    print(f"huiwu bench — {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print("  each time: median [min–max] of the runs; ratios from the medians")
    for place in dict.fromkeys((args.folder, DISK)):  # in this order, once each
        place.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="huiwu-bench-", dir=place) as tmp:
            print(f"  creating a 9 KB file in {place}: {file_cost(Path(tmp)) * 1000:.3f} ms")
    with tempfile.TemporaryDirectory(prefix="huiwu-bench-", dir=args.folder) as tmp:
        folder = Path(tmp)
        if "letters" in wanted:
            report(letters_goals(folder, 300 if quick else 1000, repeats))
        if "allocation" in wanted:
            report(allocation_goal(folder, [100, 1000] if not quick else [50, 300], 3))
        if "memory" in wanted:
            report(
                memory_goal(folder, [1000, 10000] if not quick else [300, 3000], 1 if quick else 3)
            )
        if "pdf" in wanted:
            report(pdf_goal(folder, repeats))
        if "packet" in wanted:
            report(packet_goal(folder, repeats))


if __name__ == "__main__":
    main()
