"""huiwu as users install it: the wheel in a fresh virtual environment, used from another folder.

An editable install finds the templates and examples in the checkout and hides any that the
wheel would miss, so this test builds the wheel the way a release would (``python -m build``:
the sdist first, the wheel from it), installs it with pip into a new venv, and runs the
commands from a temporary folder that has nothing of the repository in it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "data" / "responsibility-letters"
ANNUAL = ROOT / "data" / "annual-assessment"


def _run(command: list[str | Path], cwd: Path) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the repository's tracked files."""
    source = tmp_path_factory.mktemp("source")
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    output = _run([sys.executable, "-m", "build", "--outdir", dist, source], cwd=source)
    assert "project.license" not in output  # setuptools' deprecation warning is gone
    (built,) = dist.glob("huiwu-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel (and its dependencies) installed; its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", venv], cwd=venv)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], cwd=venv)
    return bin_dir


def test_wheel_has_one_top_level_package_with_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.startswith("huiwu-")}
    assert top == {"huiwu"}
    assert "huiwu/templates/notice.docx" in names
    assert "huiwu/templates/letter.docx" in names
    assert "huiwu/resources/meeting_example.yaml" in names
    # The template generator is a developer tool: it stays in the repository.
    assert not [name for name in names if name.startswith("huiwu/templatekit/")]


def test_installed_commands_work_from_another_folder(installed: Path, tmp_path: Path) -> None:
    huiwu = installed / "huiwu"
    work = tmp_path / "工作"
    work.mkdir()
    assert "huiwu" in _run([huiwu, "--version"], cwd=work)
    _run([huiwu, "new", "动员会"], cwd=work)
    _run([huiwu, "build", "动员会/meeting.yaml", "-o", "材料"], cwd=work)
    notice = docx.Document(str(work / "材料" / "会议通知.docx"))
    assert any("通知" in p.text for p in notice.paragraphs)
    _run([huiwu, "templates", "模板"], cwd=work)
    assert (work / "模板" / "notice.docx").is_file()

    annual = work / "考核会"
    shutil.copytree(ANNUAL, annual)
    _run([huiwu, "sheet", annual / "meeting.yaml", "-o", "空白.xlsx"], cwd=work)
    assert (work / "空白.xlsx").stat().st_size > 0
    _run([huiwu, "build", annual / "meeting.yaml", "-o", "考核材料"], cwd=work)
    assert (work / "考核材料" / "manifest.json").is_file()

    letters = work / "责任书会"
    shutil.copytree(LETTERS, letters)
    _run([huiwu, "letters", letters / "meeting.yaml", "-o", "责任书", "--combined"], cwd=work)
    written = sorted(path.name for path in (work / "责任书").glob("*.docx"))
    assert len(written) > 10
    assert any("合订本" in name for name in written)


def test_runtime_never_imports_the_template_generator(installed: Path, tmp_path: Path) -> None:
    script = (
        "import sys, huiwu.cli\n"
        "huiwu.cli.main(['new', 'm'])\n"
        "huiwu.cli.main(['build', 'm/meeting.yaml', '-o', 'out'])\n"
        "print('loaded:', sorted(n for n in sys.modules if n.startswith('huiwu.templatekit')))\n"
    )
    output = _run([installed / "python", "-c", script], cwd=tmp_path)
    assert "loaded: []" in output.splitlines()
    assert (tmp_path / "out" / "会议通知.docx").is_file()
