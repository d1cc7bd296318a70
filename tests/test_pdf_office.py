"""PDF conversion through a warm LibreOffice: same bytes as a fresh one, bounded in time,
failures named by the document the user knows, nothing left behind after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from huiwu.publish import locks, office, pdf, pdfbytes

from tests.conftest import EXAMPLES, run_cli

needs_libreoffice = pytest.mark.skipif(pdf.find_soffice() is None, reason="needs LibreOffice")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def documents(built_examples) -> list[Path]:
    packet = built_examples["mobilisation"]
    return sorted(packet.glob("*.docx"))[:3]


@pytest.fixture
def fresh_office():
    office.shutdown()
    yield
    office.shutdown()


def _convert(sources: list[Path], folder: Path) -> list[bytes]:
    jobs = [pdf.Job(source, folder / (source.stem + ".pdf")) for source in sources]
    return [path.read_bytes() for path in pdf.convert(jobs)]


@needs_libreoffice
def test_a_warm_libreoffice_gives_the_bytes_of_a_fresh_one(documents, tmp_path, monkeypatch):
    if office.uno_python(pdf.find_soffice()) is None:
        pytest.skip("no Python with uno: the warm LibreOffice cannot run here")
    monkeypatch.setenv("HUIWU_PDF_WARM", "0")
    fresh = _convert(documents, tmp_path / "fresh")
    monkeypatch.setenv("HUIWU_PDF_WARM", "1")
    assert pdf.warm() is not None
    first = _convert(documents, tmp_path / "warm1")
    again = _convert(list(reversed(documents)), tmp_path / "warm2")  # after other documents
    assert first == fresh
    assert list(reversed(again)) == fresh


def _eexec(plain: bytes) -> bytes:
    """Type 1 eexec encryption as the specification writes it, a byte at a time."""
    key, out = 55665, bytearray()
    for byte in plain:
        out.append(byte ^ (key >> 8))
        key = ((out[-1] + key) * 52845 + 22719) & 0xFFFF
    return bytes(out)


@pytest.mark.parametrize(
    ("before", "after"),
    [(b"4100023", b"4100001"), (b"4100001", b"4100001"), (b"999", b"4100002")],
)
def test_a_renumbered_font_is_the_font_encrypted_afresh(before, after):
    # The shortcut (re-encrypting from the first changed digit, through a table of keys) must
    # give the bytes of decrypting, replacing and encrypting everything again.
    private = b"\x01\x02\x03\x04dup /Private 8 dict dup begin\n/RD{string currentfile}def\n"
    rest = bytes(range(256)) * 40 + b"mark currentfile closefile\n"
    wanted = b"/UniqueID %s def" % after
    crypted = _eexec(private + b"/UniqueID %s def" % before + rest)
    renumbered = pdfbytes._eexec_renumber(crypted, wanted)
    assert renumbered == _eexec(private + wanted + rest)


_CONVERT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from huiwu.publish import pdf
    source, target = map(Path, sys.argv[1:3])
    pdf.convert([pdf.Job(source, target)])
    """
)


@needs_libreoffice
def test_pdf_bytes_do_not_depend_on_time_zone_or_locale(documents, tmp_path):
    outputs = []
    for number, (zone, locale) in enumerate(
        [("Asia/Shanghai", "zh_CN.UTF-8"), ("America/New_York", "C"), ("UTC", "en_US.UTF-8")]
    ):
        target = tmp_path / f"{number}.pdf"
        env = {**os.environ, "TZ": zone, "LANG": locale, "LC_ALL": locale}
        done = subprocess.run(
            [sys.executable, "-c", _CONVERT, str(documents[0]), str(target)],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert b"+08'00'" not in outputs[0] and b"/CreationDate(D:19800101000000Z')" in outputs[0]


def _fake_soffice(tmp_path: Path, behaviour: str) -> Path:
    """A LibreOffice that ``hangs`` (and records its process id) or ``fails`` at once."""
    script = tmp_path / "soffice"
    pids = tmp_path / "pids"
    body = f"echo $$ >> {pids}\nexec sleep 600\n" if behaviour == "hangs" else "exit 1\n"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.is_file() and status.read_text().split()[2] == "Z")


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a shell script as LibreOffice")
def test_a_hanging_libreoffice_is_stopped_and_the_document_named(
    documents, tmp_path, monkeypatch, fresh_office
):
    monkeypatch.setenv("HUIWU_SOFFICE", str(_fake_soffice(tmp_path, "hangs")))
    monkeypatch.setattr(office, "START_SECONDS", 1.0)
    monkeypatch.setattr(office, "DOCUMENT_SECONDS", 1.0)
    staged = tmp_path / ".staging-123" / "会议通知.docx"
    staged.parent.mkdir()
    staged.write_bytes(documents[0].read_bytes())
    job = pdf.Job(staged, staged.with_suffix(".pdf"), "会议通知.docx")
    with pytest.raises(pdf.ConversionFailed) as caught:
        pdf.convert([job])
    message = str(caught.value)
    assert "会议通知.docx" in message and "秒" in message and "已停止" in message
    assert ".staging-123" not in message
    pids = [int(line) for line in (tmp_path / "pids").read_text().split()]
    assert pids and not any(_alive(pid) for pid in pids), "every LibreOffice was killed"


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a shell script as LibreOffice")
def test_a_failed_pdf_keeps_the_docx_packet_and_says_which_failed(
    tmp_path, monkeypatch, fresh_office
):
    monkeypatch.setenv("HUIWU_SOFFICE", str(_fake_soffice(tmp_path, "fails")))
    monkeypatch.setattr(office, "START_SECONDS", 1.0)
    out = tmp_path / "out"
    status, _, err = run_cli("build", EXAMPLES["mobilisation"], "-o", out, "--pdf")
    assert status == 1, err
    assert f"材料（DOCX）已写入 {out}" in err
    assert "会议议程.docx" in err and "Traceback" not in err
    assert ".staging" not in err and "huiwu-pdf-" not in err
    assert (out / "会议议程.docx").is_file() and not list(out.glob("*.pdf"))


def _scratch_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(pdf.SCRATCH_PREFIX + "*"))


@pytest.mark.skipif(not locks.AVAILABLE, reason="needs file locks")
def test_scratch_of_a_killed_run_is_removed_by_the_next_one(tmp_path):
    stale = Path(tempfile.mkdtemp(prefix=pdf.SCRATCH_PREFIX))
    (stale / ".huiwu-lock").touch()
    (stale / "00000.docx").write_bytes(b"left behind")
    busy = Path(tempfile.mkdtemp(prefix=pdf.SCRATCH_PREFIX))
    held = locks.try_lock(busy / ".huiwu-lock")
    try:
        pdf.sweep_scratch()
        assert not stale.exists(), "the folder of a run that is gone is removed"
        assert busy.exists(), "the folder of a running conversion is kept"
    finally:
        if held is not None:
            held.close()
        pdf.sweep_scratch()
    assert not busy.exists()


_HANG = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from huiwu.publish import office, pdf
    office.START_SECONDS = 300.0
    pdf.convert([pdf.Job(Path(sys.argv[1]), Path(sys.argv[2]))])
    """
)


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_temporary_copies_go_on_sigterm_and_after_sigkill(documents, tmp_path, signum):
    before = _scratch_folders()
    env = {**os.environ, "HUIWU_SOFFICE": str(_fake_soffice(tmp_path, "hangs"))}
    child = subprocess.Popen(
        [sys.executable, "-c", _HANG, str(documents[0]), str(tmp_path / "x.pdf")],
        env=env,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not (_scratch_folders() - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    made = _scratch_folders() - before
    assert made, "the conversion started"
    time.sleep(0.3)
    child.send_signal(signum)
    child.wait(timeout=60)
    if signum == signal.SIGTERM:
        assert not any(folder.exists() for folder in made), "removed by huiwu itself"
        assert b"Traceback" not in child.stderr.read()
    else:
        pdf.sweep_scratch()  # what the next run does first
        assert not any(folder.exists() for folder in made)
    pids = [int(line) for line in (tmp_path / "pids").read_text().split()]
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)  # after SIGKILL, the conversion loop stops LibreOffice on its own
    assert not any(_alive(pid) for pid in pids), "no LibreOffice outlives huiwu"


@needs_libreoffice
def test_letters_pdf_converts_each_letter_beside_it(tmp_path):
    import pymupdf

    definition = ROOT / "data" / "responsibility-letters" / "meeting.yaml"
    out = tmp_path / "letters"
    status, stdout, err = run_cli("letters", definition, "-o", out, "--pdf")
    assert status == 0, err
    letters = sorted(out.glob("*.docx"))
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.stem for p in pdfs] == [p.stem for p in letters] and "份 PDF" in stdout
    text = "".join(page.get_text() for page in pymupdf.open(pdfs[0]))
    assert pdfs[0].stem.split("-")[-1] in text.replace("\n", "")
    status, _, err = run_cli(
        "letters", definition, "-o", out, "--units", "松山乡", "--pdf", "--force"
    )
    assert status == 0, err


@needs_libreoffice
def test_a_warm_libreoffice_that_died_is_started_again(documents, tmp_path, fresh_office):
    pool = pdf.warm()
    if pool is None:
        pytest.skip("no Python with uno: the warm LibreOffice cannot run here")
    first = _convert(documents[:1], tmp_path / "a")
    for running in pool.offices:
        if running.running:
            os.killpg(running._soffice.pid, signal.SIGKILL)  # LibreOffice crashes
            running._soffice.wait()
    assert not any(running.running for running in pool.offices)
    assert _convert(documents[:1], tmp_path / "b") == first
    assert pdf.warm() is pool and any(running.running for running in pool.offices)


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a shell script as LibreOffice")
def test_a_packet_with_letters_keeps_them_when_their_pdf_fails(tmp_path, monkeypatch, fresh_office):
    monkeypatch.setenv("HUIWU_SOFFICE", str(_fake_soffice(tmp_path, "fails")))
    monkeypatch.setattr(office, "START_SECONDS", 1.0)
    out = tmp_path / "out"
    definition = ROOT / "data" / "responsibility-letters" / "meeting.yaml"
    status, _, err = run_cli("build", definition, "-o", out, "--pdf")
    assert status == 1, err
    assert "（合订本）.docx" in err and "Traceback" not in err
    letters = [p for p in out.rglob("*.docx") if "目标管理责任书-" in p.name]
    assert letters, "the letters were written"
    assert (out / "manifest.json").is_file()
