"""scripts/bootstrap.py, the README's first step, reads huiwu's font list before any venv exists."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_bootstrap_loads_the_font_module_on_its_own():
    # run_name is not __main__: only the functions are defined, nothing is installed.
    code = (
        "import runpy\n"
        "bootstrap = runpy.run_path('scripts/bootstrap.py', run_name='bootstrap')\n"
        "fonts = bootstrap['_fonts_module']()\n"
        "print(len(fonts.FANDOL_FILES), fonts.font_dir().name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    count, folder = result.stdout.split()
    assert int(count) > 0 and folder == "fonts"
