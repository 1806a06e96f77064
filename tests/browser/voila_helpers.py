"""Helpers for the browser tests: Debian chromium settings and a real Voila server on a free port."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from ethicskit.serve import voila_command, voila_env

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, *, timeout: float = 90, alive=lambda: True) -> bool:
    """Poll ``url`` until any HTTP answer comes back (an error status counts: the server is up)."""
    deadline = time.monotonic() + timeout
    while alive() and time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.3)
    return False


@contextmanager
def voila_server(notebook: Path, *extra: str, timeout: float = 90):
    """Serve one notebook with Voila on a free localhost port; yield its URL."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"voila-{notebook.parent.name}-{port}.log", "w")
    proc = subprocess.Popen(
        [*voila_command(notebook, port=port), *extra],
        cwd=notebook.parent, stdout=log, stderr=subprocess.STDOUT, env=voila_env(),
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        if not wait_until_serving(url + "voila/api/shutdown", timeout=timeout, alive=lambda: proc.poll() is None):
            raise RuntimeError(f"Voila did not start for {notebook}; see {log.name}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
