"""A build killed at any moment never leaves a partial packet or damages the earlier one."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def assert_whole_packet(folder: Path) -> None:
    """Every file of the folder is in its manifest with the right digest, and vice versa."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["文件"]: entry["sha256"] for entry in manifest["材料"]}
    present = {p.name for p in folder.iterdir()} - {"manifest.json"}
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
