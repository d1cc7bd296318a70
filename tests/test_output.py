"""Writing packets: staged, swapped into place whole, never half-written, leftovers cleaned."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from huiwu.publish.output import (
    MANIFEST,
    OutputExists,
    Staging,
    manifest_chunks,
    remove_tree,
    sha256_file,
    with_earlier,
)


def _manifest(entries: list[dict], inputs: list = ()) -> bytes:
    return b"".join(manifest_chunks(entries, inputs))


def write_packet(
    files: dict[str, bytes], target: Path, *, force: bool, whole: bool = True
) -> list[Path]:
    """Write ``name → bytes`` into ``target`` through a Staging, as a build does, with a manifest."""
    with Staging(target, force=force, whole=whole, names=files) as staging:
        written = [staging.write(name, data) for name, data in files.items()]
        entries = [{"文件": entry.name, "sha256": entry.sha256} for entry in written]
        if not whole:
            entries = with_earlier(entries, target)
        staging.write(MANIFEST, _manifest(entries))
        return [entry.path for entry in staging.commit()]


def test_a_whole_packet_replaces_the_earlier_one(tmp_path):
    target = tmp_path / "packet"
    write_packet({"a.docx": b"1", "b.docx": b"2"}, target, force=False)
    write_packet({"a.docx": b"3"}, target, force=True)
    assert sorted(p.name for p in target.iterdir()) == ["a.docx", "manifest.json"]
    assert (target / "a.docx").read_bytes() == b"3"
    assert [p.name for p in tmp_path.iterdir()] == ["packet"], "no staging folder left behind"


def test_a_partial_rebuild_keeps_the_other_files(tmp_path):
    target = tmp_path / "packet"
    write_packet({"a.docx": b"1", "b.docx": b"2"}, target, force=False)
    write_packet({"a.docx": b"3"}, target, force=True, whole=False)
    assert (target / "a.docx").read_bytes() == b"3" and (target / "b.docx").read_bytes() == b"2"


def test_nothing_is_overwritten_without_force(tmp_path):
    target = tmp_path / "packet"
    write_packet({"a.docx": b"1"}, target, force=False)
    with pytest.raises(OutputExists, match="--force"):
        write_packet({"a.docx": b"2"}, target, force=False)
    assert (target / "a.docx").read_bytes() == b"1"


def test_an_error_before_commit_leaves_the_target_untouched(tmp_path):
    target = tmp_path / "packet"
    write_packet({"a.docx": b"1"}, target, force=False)
    with pytest.raises(ZeroDivisionError), Staging(target, force=True) as staging:
        staging.write("a.docx", b"2")
        _ = 1 / 0
    assert (target / "a.docx").read_bytes() == b"1"
    assert [p.name for p in tmp_path.iterdir()] == ["packet"]


def test_a_folder_with_files_huiwu_did_not_write_is_never_replaced(tmp_path):
    for folder, name in ((tmp_path / "home", "论文.docx"), (tmp_path / "packet", "我的笔记.txt")):
        folder.mkdir()
        if folder.name == "packet":
            write_packet({"a.docx": b"1"}, folder, force=True)
        (folder / name).write_text("keep me", encoding="utf-8")
        with pytest.raises(
            OutputExists, match=f"不是 huiwu 生成的文件（{name}等）.*即使加 --force"
        ):
            write_packet({"a.docx": b"2"}, folder, force=True)
        assert (folder / name).read_text(encoding="utf-8") == "keep me"
    (tmp_path / "packet" / "我的笔记.txt").unlink()
    for junk in ("Thumbs.db", "desktop.ini", ".DS_Store"):
        (tmp_path / "packet" / junk).write_bytes(b"")
    write_packet({"a.docx": b"2"}, tmp_path / "packet", force=True)
    assert (tmp_path / "packet" / "a.docx").read_bytes() == b"2"


def test_a_document_open_in_word_is_named(tmp_path):
    target = tmp_path / "packet"
    write_packet({"会议通知.docx": b"1"}, target, force=False)
    (target / "~$会议通知.docx").write_bytes(b"")
    with pytest.raises(OutputExists, match=r"会议通知\.docx 正在 Word 或 WPS 里打开"):
        write_packet({"会议通知.docx": b"2"}, target, force=True)


def test_the_foreign_files_named_are_the_first_in_each_folder_by_name(tmp_path):
    target = tmp_path / "packet"
    write_packet({"a.docx": b"1", "责任书/b.docx": b"2"}, target, force=False)
    for name in ("责任书/z.txt", "责任书/c.txt", "y.txt", "x.txt"):
        (target / name).write_bytes(b"")
    with pytest.raises(OutputExists, match=r"（x\.txt、y\.txt、责任书/c\.txt等）"):
        write_packet({"a.docx": b"3"}, target, force=True)
    (target / "x.txt").unlink()
    (target / "y.txt").unlink()
    (target / "责任书" / "~$b.docx").write_bytes(b"")
    with pytest.raises(OutputExists, match=r"b\.docx 正在 Word 或 WPS 里打开"):
        write_packet({"a.docx": b"3"}, target, force=True)


def test_a_folder_is_removed_entry_by_entry_without_following_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    folder = tmp_path / "old"
    (folder / "责任书" / "深").mkdir(parents=True)
    for index in range(300):
        (folder / "责任书" / f"{index}.docx").write_bytes(b"x")
    (folder / "责任书" / "深" / "a.docx").write_bytes(b"x")
    (folder / "link").symlink_to(outside, target_is_directory=True)
    (folder / "责任书" / "file-link").symlink_to(outside / "keep.txt")
    remove_tree(folder)
    assert not folder.exists()
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "keep"
    linked = tmp_path / "linked"
    linked.symlink_to(outside, target_is_directory=True)
    remove_tree(linked)  # a link is not gone into, as shutil.rmtree refuses it
    remove_tree(tmp_path / "no such folder")
    assert (outside / "keep.txt").exists()


def test_names_cannot_climb_out_of_the_packet(tmp_path):
    with Staging(tmp_path / "packet", force=False) as staging, pytest.raises(ValueError):
        staging.write("../escape.docx", b"x")
    assert not (tmp_path / "escape.docx").exists()


def test_staging_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    target = tmp_path / "packet"
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from huiwu.publish.output import Staging
        staging = Staging(Path({str(target)!r}), force=False).__enter__()
        staging.write("a.docx", b"1")
        os._exit(9)  # dies like a killed process: no clean-up runs
        """
    )
    subprocess.run([sys.executable, "-c", script], check=False)
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and not target.exists()
    write_packet({"a.docx": b"2"}, target, force=False)
    assert [p.name for p in tmp_path.iterdir()] == ["packet"]


def test_a_packet_renamed_aside_by_a_killed_swap_is_put_back(tmp_path):
    target = tmp_path / "packet"
    aside = tmp_path / ".packet.4242.old"
    aside.mkdir()
    (aside / "a.docx").write_bytes(b"earlier")
    with Staging(target, force=False) as staging:
        assert (target / "a.docx").read_bytes() == b"earlier"
        assert staging.folder is not None


def test_manifest_is_deterministic_and_names_inputs(tmp_path):
    source = tmp_path / "meeting.yaml"
    source.write_text("x", encoding="utf-8")
    entries = [{"材料": "会议通知", "文件": "会议通知.docx", "sha256": "ab"}]
    first = _manifest(entries, [source, None])
    assert first == _manifest(entries, [source])
    data = json.loads(first)
    assert data["输入"] == [
        {
            "文件": "meeting.yaml",
            "sha256": "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
        }
    ]
    assert data["材料"] == entries
    assert os.fspath(tmp_path) not in first.decode("utf-8"), "no machine paths in the packet"


def test_a_large_batch_is_synced_once_before_it_is_put_in_place(tmp_path, monkeypatch):
    from huiwu.publish import output

    calls = []
    monkeypatch.setattr(output, "_syncfs", lambda fd: calls.append(fd) or 0)
    names = {f"{i}.docx": b"x" for i in range(output._FSYNC_EACH_UP_TO + 1)}
    write_packet(names, tmp_path / "packet", force=False)
    assert len(calls) == 1


@pytest.mark.parametrize("count", [0, 1, 3])
def test_manifest_written_piece_by_piece_is_the_json_of_the_whole(tmp_path, count):
    source = tmp_path / "meeting.yaml"
    source.write_text("x", encoding="utf-8")
    entries = [
        {"材料": "目标管理责任书", "单位": f'第{i}镇"\n\\', "文件": f"{i}.docx", "sha256": "ab"}
        for i in range(count)
    ]
    whole = {
        "输入": [{"文件": "meeting.yaml", "sha256": sha256_file(source)}] if count else [],
        "材料": entries,
    }
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    assert _manifest(entries, [source] if count else []).decode() == expected


def test_the_files_a_manifest_lists_are_read_line_by_line_as_json_reads_them(tmp_path):
    from huiwu.publish.output import manifest_files

    names = ["a.docx", 'b"\\.docx', "责任书/第1镇.docx", "c\\"]
    entries = [{"材料": "x", "文件": name, "sha256": "ab"} for name in names]
    (tmp_path / MANIFEST).write_bytes(_manifest(entries))
    assert manifest_files(tmp_path) == set(names)
    # A manifest laid out otherwise (by hand) is still read, as JSON.
    (tmp_path / MANIFEST).write_text(json.dumps({"材料": entries}), encoding="utf-8")
    assert manifest_files(tmp_path) == set(names)


def test_the_files_written_are_kept_as_names_and_digests_and_read_back_as_written(tmp_path):
    files = {f"责任书/{i}.docx": bytes([i]) * (i + 1) for i in range(5)}
    with Staging(tmp_path / "packet", force=False) as staging:
        first = staging.write("会议通知.docx", b"notice")
        for name, data in files.items():
            staging.record(name, staging.put(name, data))
        with staging.stream("合订本.docx") as handle:
            handle.write(b"all")
        with pytest.raises(ValueError, match="sha256"):
            staging.record("x.docx", b"short")
        written = staging.commit()
    assert first.name == "会议通知.docx" and first.sha256 == hashlib.sha256(b"notice").hexdigest()
    assert len(written) == 7 and written.names[1:6] == list(files)
    for entry, (name, data) in zip(written[1:6], files.items(), strict=True):
        assert (entry.name, entry.sha256) == (name, hashlib.sha256(data).hexdigest())
        assert entry.path == tmp_path / "packet" / name and entry.path.read_bytes() == data
    assert written[-1] == written[6] and written[-1].sha256 == hashlib.sha256(b"all").hexdigest()
    assert [entry.name for entry in reversed(written)][:2] == ["合订本.docx", "责任书/4.docx"]
    with pytest.raises(IndexError):
        written[7]


@pytest.mark.parametrize(
    "entry",
    [
        {
            "材料": '目标"管理\\责任书',
            "单位": "甲\n乡\u2028",
            "文件": "a/b.docx",
            "sha256": "ab" * 32,
        },
        {},
        {"a": "</script>", "b": "\x00\x1f\x7f"},
        {"x": 1, "y": None},
    ],
)
def test_a_manifest_entry_is_written_as_json_indents_it(entry):
    from huiwu.publish.output import _entry_text

    assert _entry_text(entry) == json.dumps(entry, ensure_ascii=False, indent=2).replace(
        "\n", "\n    "
    )
