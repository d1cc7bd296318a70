"""``python -m huiwu.templatekit [DIR]``: regenerate the built-in templates."""

from __future__ import annotations

import sys
from pathlib import Path

from huiwu.templatekit import build_all
from huiwu.templates import BUILTIN_DIR

if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else BUILTIN_DIR
    for path in build_all(target):
        print(path)
