"""`make start` (ethicskit start): JupyterLab on START_HERE, localhost only, token required."""

import json
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_start_serves_start_here_on_localhost_with_a_token(repo):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ethicskit", "start", "--port", str(port)],
                            cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = ""
        while not url:
            line = proc.stdout.readline()
            assert line, "ethicskit start exited without printing a URL"
            url = (re.search(r"(http://\S+token=\w+)", line) or [""])[0]
        assert url.startswith(f"http://127.0.0.1:{port}/lab/tree/START_HERE.ipynb?token=")
        token = url.rsplit("=", 1)[1]
        api = f"http://127.0.0.1:{port}/api/contents/START_HERE.ipynb"
        # The URL is printed only once JupyterLab answers: a request made at once, with no retry, gets through.
        assert _status(url) == 200, "the printed URL does not answer yet"
        assert _status(api) == 403, "the API answers without a token"
        body = json.loads(urllib.request.urlopen(f"{api}?token={token}", timeout=10).read())
        assert body["name"] == "START_HERE.ipynb" and body["type"] == "notebook"
        listening = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout
        assert f"127.0.0.1:{port}" in listening and f"0.0.0.0:{port}" not in listening
    finally:
        proc.terminate()
        proc.wait(timeout=30)
