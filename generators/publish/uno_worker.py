"""The conversion loop run inside a Python that has LibreOffice's ``uno`` module.

Not imported by huiwu: :mod:`huiwu.publish.office` runs this file with LibreOffice's own Python
(Windows, macOS) or the system one with ``python3-uno`` (Debian), next to a LibreOffice it has
started with ``--accept=pipe,name=…``. It connects to that pipe, then reads one request a line
on standard input — ``{"source": DOCX, "target": PDF}`` as JSON — converts it, and answers one
line: ``{"ok": true}`` (the PDF written, and made reproducible by ``pdfbytes.py``) or
``{"error": "…"}``. The first line it writes, ``{"ready": true}``, says
it is connected. At the end of its input — huiwu finished, or was killed — it stops LibreOffice
(whose process id it is given) and exits, so that no LibreOffice outlives huiwu.
"""

import contextlib
import json
import os
import signal
import sys
import time


def _connect(pipe, deadline):
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    parent = os.getppid()
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline or os.getppid() != parent:  # huiwu gave up, or died
                raise
            time.sleep(0.05)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def _property(name, value):
    from com.sun.star.beans import PropertyValue

    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def _pdfbytes():
    """:mod:`pdfbytes` (beside this file, needing only the standard library), loaded once for
    all the documents: it keeps the cipher's table of keys between them."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdfbytes.py")
    spec = importlib.util.spec_from_file_location("huiwu_pdfbytes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reproducible(pdfbytes, target):
    """The PDF made independent of time and process, here: this process runs beside huiwu, so
    the work is spread over the cores."""
    with open(target, "rb") as handle:
        data = handle.read()
    with open(target, "wb") as handle:
        handle.write(pdfbytes.make_reproducible(data))


def _convert(desktop, source, target):
    import uno

    load = (_property("Hidden", True), _property("ReadOnly", True), _property("UpdateDocMode", 0))
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, load)
    if document is None:
        raise RuntimeError("LibreOffice could not open the file")
    try:
        store = (_property("FilterName", "writer_pdf_Export"), _property("Overwrite", True))
        document.storeToURL(uno.systemPathToFileUrl(target), store)
    finally:
        document.close(True)


def main():
    pipe, wait, office = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    try:
        desktop = _connect(pipe, time.monotonic() + wait)
        pdfbytes = _pdfbytes()
        _answer({"ready": True})
        for line in sys.stdin:
            request = json.loads(line)
            try:
                _convert(desktop, request["source"], request["target"])
                _reproducible(pdfbytes, request["target"])
            except Exception as exc:
                message = getattr(exc, "Message", "") or str(exc)
                _answer({"error": f"{type(exc).__name__}: {message}"})
            else:
                _answer({"ok": True})
    finally:
        _stop(office)


def _stop(pid):
    """Kill LibreOffice: its launcher leads a process group that ``soffice.bin`` belongs to."""
    kill = getattr(signal, "SIGKILL", signal.SIGTERM)
    killpg = getattr(os, "killpg", None)
    if killpg is not None:
        with contextlib.suppress(OSError):
            killpg(pid, kill)
    with contextlib.suppress(OSError):
        os.kill(pid, kill)


def _answer(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
