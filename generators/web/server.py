"""``huiwu serve``: run the page on this machine and open it in the default browser."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import webbrowser
from pathlib import Path

from huiwu.errors import HuiwuError
from huiwu.web.security import Secrets

LOOPBACK = "127.0.0.1"


def allowed_hosts(host: str) -> list[str]:
    """The names a browser may use for this server in its Host header."""
    names = {host}
    if host in (LOOPBACK, "localhost", "0.0.0.0", "::"):
        names |= {LOOPBACK, "localhost"}
    if host in ("0.0.0.0", "::"):
        names |= {socket.gethostname(), *_own_addresses()}
    return sorted(names)


def _own_addresses() -> set[str]:
    """This machine's addresses, as other computers on the network would type them."""
    found: set[str] = set()
    with contextlib.suppress(OSError):
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    # The address of the interface that reaches the network (connecting a UDP socket sends
    # nothing); Debian maps the host name to 127.0.1.1, not to it.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            found.add(probe.getsockname()[0])
        except OSError:
            pass  # no network: only the names above
    return found


def listening(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` (0: a free port), so that the address is printed
    only once it opens; a port out of range or taken is refused in Chinese (uvicorn would log an
    English error after the address was shown)."""
    if not 0 <= port <= 65535:
        raise HuiwuError(
            f"--port {port}：端口应为 1 到 65535 之间的整数；不写 --port 时自动选一个空闲端口"
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    # The same option uvicorn sets on the sockets it makes itself.
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(2048)
    except OSError:
        listener.close()
        raise HuiwuError(
            f"--port {port}：无法在 {host} 上使用这个端口，"
            "可能已被别的程序（或另一个会务页面）占用。请换一个端口，或不写 --port"
        ) from None
    return listener


def make_server(root: Path, host: str = LOOPBACK, port: int = 0):
    """A uvicorn server for the workspace (not started) and the address to open."""
    import uvicorn
    from huiwu.web.app import create_app

    tokens = Secrets()
    listener = listening(host, port)
    port = listener.getsockname()[1]
    app = create_app(root, tokens, allowed_hosts(host))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)

    class Server(uvicorn.Server):
        """Serves on the socket already listening: a browser opening the address at once
        waits in its queue instead of being refused."""

        async def serve(self, sockets: list[socket.socket] | None = None) -> None:
            await super().serve(sockets=sockets or [listener])

    shown = LOOPBACK if host in ("0.0.0.0", "::") else host
    return Server(config), f"http://{shown}:{port}/?token={tokens.session}"


def serve(root: Path, *, host: str = LOOPBACK, port: int = 0, browser: bool = True) -> None:
    """Serve until interrupted, printing the address and opening it."""
    server, address = make_server(root, host, port)
    if host not in (LOOPBACK, "localhost"):
        print(
            f"警告：--host {host} 让别的电脑也能连到本页面。任何拿到下面这个地址（含 token）的人"
            "都能修改工作文件夹里的会议。只在可信的内部网络里这样用。",
            file=sys.stderr,
        )
    print(f"会务页面已启动：{address}")
    print("用浏览器打开上面的地址。关闭本窗口（或按 Ctrl+C）即停止。", flush=True)
    if browser:
        threading.Timer(0.5, webbrowser.open, args=(address,)).start()
    server.run()


LAUNCHER_PYW = """\
# 双击运行（不显示窗口）：在浏览器里打开会务页面，工作文件夹是本文件所在的文件夹。
# 页面的地址和出错信息写在同一文件夹的“会务页面.log”里。
import pathlib, sys
folder = pathlib.Path(__file__).resolve().parent
sys.stdout = sys.stderr = open(folder / "会务页面.log", "a", encoding="utf-8", buffering=1)
from huiwu.web.server import serve
serve(folder)
"""

LAUNCHER_BAT = """\
@echo off
rem 双击运行：在浏览器里打开会务页面，工作文件夹是本文件所在的文件夹。关闭本窗口即停止。
chcp 65001 >nul
cd /d "%~dp0"
"{python}" -m huiwu serve "%~dp0."
if errorlevel 1 pause
"""


def write_shortcut(folder: Path) -> list[Path]:
    """Write double-clickable launchers into ``folder``: ``会务.bat`` (a window showing the
    address; closing it stops the page) and ``会务.pyw`` (no window, for pythonw)."""
    folder.mkdir(parents=True, exist_ok=True)
    python = Path(sys.executable)
    bat = folder / "会务.bat"
    bat.write_bytes(LAUNCHER_BAT.format(python=python).replace("\n", "\r\n").encode("utf-8"))
    pyw = folder / "会务.pyw"
    pyw.write_text(LAUNCHER_PYW, encoding="utf-8")
    return [bat, pyw]
