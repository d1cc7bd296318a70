"""The one place huiwu makes Jinja environments: sandboxed, strict, with the Chinese filters.

Templates and definitions travel between offices; neither may run code. The immutable sandbox
blocks attribute access to Python internals and calls that change data, and ``StrictUndefined``
turns a misspelt variable into an error instead of a silent blank in a printed document.
"""

from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .filters import FILTERS


def environment(*, autoescape: bool) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment with huiwu's filters; autoescape for XML templates."""
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=True
    )
    env.filters.update(FILTERS)
    return env
