"""`ethicskit workshop`: one lesson as an app, an index of modules, and network sharing with a token."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request

from voila_helpers import REPO, free_port, wait_until_serving


def start(*args: str):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ethicskit", "workshop", *args, "--port", str(port)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # "Open URL (Ctrl+C to stop)": the URL carries the token, always
    url = re.search(r"Open (\S+)", line).group(1)
    wait_until_serving(f"http://127.0.0.1:{port}/voila/api/shutdown", alive=lambda: proc.poll() is None)
    return proc, url


def stop(proc) -> tuple[str, str]:
    proc.terminate()
    try:
        return proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def test_workshop_serves_one_lesson_with_code_hidden(page, console_errors, artifacts):
    proc, url = start("00", "--pool", "1")
    try:
        page.goto(url)
        page.locator(".ek-tree-walker").first.wait_for(timeout=60_000)
        assert page.locator(".jp-CodeMirrorEditor").count() == 0
        page.screenshot(path=str(artifacts / "workshop-00.png"))
    finally:
        stop(proc)
    assert url.startswith("http://127.0.0.1:") and "?token=" in url
    assert not console_errors, console_errors


def test_workshop_without_a_module_serves_an_index(page):
    proc, url = start()
    try:
        page.goto(url)
        page.get_by_text("00-orientation").first.wait_for(timeout=30_000)
    finally:
        stop(proc)


def _get(url: str) -> tuple[int, str, str]:
    """Status, final URL and body, following redirects."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.url, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, url, ""


def test_sharing_on_the_network_needs_the_token_and_says_so():
    proc, url = start("00", "--host", "0.0.0.0", "--pool", "0")
    port = re.search(r":(\d+)/", url).group(1)
    base = f"http://127.0.0.1:{port}/"
    try:
        anonymous = _get(base)
        token = re.search(r"\?token=([\w-]+)", url).group(1)
        with_token = _get(f"{base}?token={token}")
    finally:
        _, err = stop(proc)
    assert len(token) >= 20
    assert "Module 00: Orientation" not in anonymous[2], "the lesson is served without the token"
    assert anonymous[0] in (401, 403) or "login" in anonymous[1]
    assert with_token[0] == 200 and "Module 00: Orientation" in with_token[2]
    assert "SHARED ON THE NETWORK" in err
