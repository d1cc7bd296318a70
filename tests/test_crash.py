"""A build killed at any moment never leaves a partial packet or damages the earlier one."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import DATA, EXAMPLES, ROOT, make_workbook

LETTERS = DATA / "responsibility-letters" / "meeting.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_whole_packet(folder: Path) -> None:
    """Every file of the folder is in its manifest with the right digest, and vice versa."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["文件"]: entry["sha256"] for entry in manifest["材料"]}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    present -= {"manifest.json"}
    assert present == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def huiwu(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_builds_leave_the_earlier_packet_intact(tmp_path):
    target = tmp_path / "packet"
    first = huiwu("build", EXAMPLES["mobilisation"], "-o", target)
    assert first.wait() == 0
    earlier = snapshot(target)
    started = time.monotonic()
    full = huiwu("build", EXAMPLES["annual"], "-o", tmp_path / "timing", "--pdf")
    assert full.wait() == 0
    duration = time.monotonic() - started
    rng = random.Random(9704)
    outcomes = set()
    for _ in range(6):
        run = huiwu("build", EXAMPLES["annual"], "-o", target, "--pdf", "--force")
        time.sleep(rng.uniform(0.2, duration * 0.9))
        run.kill()
        run.wait()
        after = snapshot(target)
        if after == earlier:
            outcomes.add("earlier")
        else:  # the kill came after the swap: the new packet, whole
            assert_whole_packet(target)
            assert "工作汇报.pdf" in after
            outcomes.add("new")
            earlier = after
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".packet.")]
        assert all(name.endswith(".tmp") for name in leftovers), leftovers
    assert "earlier" in outcomes, "at least one kill landed mid-build"
    final = huiwu("build", EXAMPLES["annual"], "-o", target, "--force")
    assert final.wait() == 0
    assert_whole_packet(target)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".packet.")], (
        "the next run clears what killed runs left"
    )


def test_killed_letter_batches_of_200_never_leave_a_partial_folder(tmp_path):
    def workbook(name: str, shift: int) -> Path:
        rows = [["单位", "总人口", "上年征收额", "村数", "乙方全称"]]
        rows += [
            [f"第{n}镇", 20_000 + 137 * n + shift, 50.0 + n % 17, 5 + n % 9, f"第{n}镇人民政府"]
            for n in range(1, 201)
        ]
        return make_workbook(tmp_path / name, {"配额基数": rows})

    target = tmp_path / "letters"
    earlier_data, new_data = workbook("去年.xlsx", 0), workbook("今年.xlsx", 5_000)
    assert huiwu("letters", LETTERS, "--data", earlier_data, "-o", target, "--combined").wait() == 0
    earlier = snapshot(target)
    assert len(earlier) == 202, "200 letters, the print file and the manifest"
    args = ("letters", LETTERS, "--data", new_data, "--combined", "--force")
    started = time.monotonic()
    assert huiwu(*args, "-o", tmp_path / "timing").wait() == 0
    duration = time.monotonic() - started
    rng = random.Random(200)
    outcomes = set()
    for _ in range(8):
        run = huiwu(*args, "-o", target)
        time.sleep(rng.uniform(0.05, duration))
        run.kill()
        run.wait()
        after = snapshot(target)
        if after == earlier:
            outcomes.add("earlier")
        else:  # the kill came after the swap: this year's letters, all of them
            assert_whole_packet(target)
            assert len(after) == 202
            outcomes.add("new")
            earlier = after
    assert "earlier" in outcomes, "at least one kill landed mid-batch"
