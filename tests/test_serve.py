"""``ethicskit workshop`` and ``ethicskit dashboard`` on real Voila servers: a token, a Host check, a kernel cap."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, *, host: str | None = None, timeout: float = 120) -> tuple[int, str]:
    """GET with a given Host header, following the server's redirects with its cookies (as a browser does)."""
    cookies: dict[str, str] = {}
    for _ in range(5):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            headers = {"Host": host or f"127.0.0.1:{port}"}
            if cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read().decode("utf-8", errors="replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name] = rest.split(";", 1)[0]
            location = response.getheader("Location")
            if response.status not in (301, 302, 303) or not location or not cookies:
                return response.status, body
            path = location
        finally:
            conn.close()
    return response.status, body


def _serve(args: list[str], env: dict) -> tuple[subprocess.Popen, int, str]:
    """Start ``ethicskit ARGS --port P``; return the process, the port and the token of the URL it prints."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ethicskit", *args, "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    line = proc.stdout.readline()
    match = re.search(rf"http://127\.0\.0\.1:{port}/\?token=([\w-]+)", line)
    assert match, f"no URL with a token in {line!r}"
    deadline = time.monotonic() + 90
    while True:
        try:
            _get(port, "/api/status", timeout=5)
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.3)
    return proc, port, match[1]


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _refused_without_token_and_with_a_foreign_host(port: int, token: str, marker: str) -> None:
    status, body = _get(port, "/")
    assert status in (302, 403) and marker not in body, f"served without a token: {status}"
    status, body = _get(port, f"/?token={token}", host=f"evil.example:{port}")
    assert status == 403 and marker not in body, f"served to a foreign Host: {status}"
    status, body = _get(port, f"/?token={token}", host=f"localhost:{port}")
    assert status == 200 and marker in body, status


@pytest.fixture
def env(make_project):
    root = make_project("00-orientation")
    shutil.copytree(REPO / "dashboards", root / "dashboards")
    return {**os.environ}


def test_the_dashboard_needs_its_token_checks_the_host_and_caps_its_kernels(env):
    proc, port, token = _serve(["dashboard", "--max-kernels", "2"], env)
    try:
        _refused_without_token_and_with_a_foreign_host(port, token, "No learners yet")
        status, _ = _get(port, f"/?token={token}")  # the second kernel
        assert status == 200
        status, body = _get(port, f"/?token={token}")
        assert status == 503 and "No learners yet" not in body, "a third page view started a third kernel"
    finally:
        _stop(proc)


def test_the_workshop_needs_its_token_and_checks_the_host(env):
    proc, port, token = _serve(["workshop", "00", "--pool", "0"], env)
    try:
        _refused_without_token_and_with_a_foreign_host(port, token, "Orientation")
    finally:
        _stop(proc)
