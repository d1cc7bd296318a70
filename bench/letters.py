"""Benchmark: responsibility letters in a batch, against plain docxtpl and against deflate.

Run by hand from the repository root (never part of the tests)::

    .venv/bin/python bench/letters.py            # 1,000 letters; memory at 1,000 and 10,000
    .venv/bin/python bench/letters.py --letters 200 --memory 1000 5000

In one run it times, for the same letters (data/responsibility-letters with invented units,
without the allocation table, which would grow with the number of units):

- huiwu's batch: the packet build restricted to the letters (``huiwu letters``) — read the workbook, compute the quotas, render every letter,
  write the files and the manifest into a staging folder and swap it into place;
- a plain loop of ``DocxTemplate(path)`` → ``render`` → ``save`` with the same contexts;
- deflating each rendered ``word/document.xml`` alone, the floor of any DOCX writer;

and prints milliseconds per letter, the ratios, and the peak memory of child processes that
write 1,000 and 10,000 letters (with the print file, the largest output).
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from docxtpl import DocxTemplate
from huiwu.definition.load import load_definition
from huiwu.publish.packet import BuildOptions, build, letter_set, letters_only
from huiwu.render.renderer import Renderer
from huiwu.text.jinja import environment
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "responsibility-letters" / "meeting.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=1000, help="letters to time")
    parser.add_argument("--memory", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="huiwu-bench-") as tmp:
        folder = Path(tmp)
        definition = _setup(folder / "timed", args.letters)
        _timings(definition, folder / "timed" / "out", args.letters)
        print("peak memory (child process, letters and print file):")
        for count in args.memory:
            print(f"  {count:>6,} letters: {_peak_memory(_setup(folder / str(count), count))}")


def _setup(folder: Path, count: int) -> Path:
    """A copy of the example definition and a workbook of ``count`` invented units."""
    folder.mkdir(parents=True)
    text = EXAMPLE.read_text(encoding="utf-8").replace("allocation_table: true", "")
    definition = folder / "meeting.yaml"
    definition.write_text(text, encoding="utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("配额基数")
    sheet.append(["单位", "总人口", "上年征收额", "村数", "乙方全称"])
    for i in range(count):
        sheet.append(
            [f"第{i + 1:05d}镇", 20000 + (7919 * i) % 90000, 50 + (37 * i) % 200, 12, "人民政府"]
        )
    book.save(folder / "责任书数据.xlsx")
    return definition


def _timings(definition: Path, out: Path, count: int) -> None:
    loaded = load_definition(definition)
    start = time.perf_counter()
    build(loaded, letters_only(BuildOptions(out_dir=out, combined=False)))
    batch = (time.perf_counter() - start) / count

    letters = letter_set(loaded)
    renderer = Renderer()
    start = time.perf_counter()
    contexts = [letters.context(unit) for unit in letters.units]
    documents = [
        renderer.render_document(letters.template, context).document_xml for context in contexts
    ]
    in_memory = (time.perf_counter() - start) / count
    start = time.perf_counter()
    for context in contexts:
        renderer.render_document(letters.template, context)
    render_alone = (time.perf_counter() - start) / count

    start = time.perf_counter()
    for document in documents:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        compressor.compress(document)
        compressor.flush()
    deflate = (time.perf_counter() - start) / count

    start = time.perf_counter()
    for unit in letters.units:
        template = DocxTemplate(letters.template)
        template.render(
            letters.context(unit), jinja_env=environment(autoescape=True), autoescape=True
        )
        template.save(io.BytesIO())
    plain = (time.perf_counter() - start) / count

    size = sum(map(len, documents)) / count / 1024
    print(f"{count:,} letters, template {letters.template.name}, document part {size:.1f} KB")
    rows = [
        ("huiwu batch: huiwu letters, inputs to files and manifest", batch),
        ("  context + render, in memory", in_memory),
        ("  render alone (prepared template, context given)", render_alone),
        ("plain DocxTemplate → render → save loop", plain),
        ("deflate of the document part alone", deflate),
    ]
    for label, seconds in rows:
        print(f"  {label:<58}{seconds * 1000:8.3f} ms/letter")
    print(f"  plain loop ÷ huiwu batch        {plain / batch:6.1f}×   (goal ≥ 20×)")
    print(f"  huiwu batch ÷ deflate           {batch / deflate:6.1f}×   (goal ≤ 3×)")
    print(f"  context + render ÷ deflate      {in_memory / deflate:6.1f}×")
    print(f"  render alone ÷ deflate          {render_alone / deflate:6.1f}×")


def _peak_memory(definition: Path) -> str:
    command = [sys.executable, __file__, "--child", str(definition)]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    prepared, peak, seconds = result.stdout.split()
    return f"{int(peak) / 1024:6.1f} MB peak ({int(prepared) / 1024:.1f} MB after reading the inputs), {float(seconds):.1f} s"


def _child(definition: Path) -> None:
    """Write all letters and the print file; print peak RSS (KB) before and after, and time."""
    loaded = load_definition(definition)
    letter_set(loaded)
    prepared = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    build(loaded, letters_only(BuildOptions(out_dir=definition.parent / "out")))
    seconds = time.perf_counter() - start
    print(prepared, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, seconds)


if __name__ == "__main__":
    main()
