"""The built-in DOCX templates, shipped as package data and installed as ``huiwu.templates``.

The ``.docx`` files beside this one are written by ``python -m huiwu.templatekit`` (a developer
tool, not part of the installed package); a test regenerates them and compares.
"""

from pathlib import Path

BUILTIN_DIR = Path(__file__).resolve().parent
"""The folder holding the built-in templates, in a checkout and in an installed package alike."""
