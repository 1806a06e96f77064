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
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                urllib.request.urlopen(url + "voila/api/shutdown", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # any HTTP answer means the server is up
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Voila did not start for {notebook}; see {log.name}")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
