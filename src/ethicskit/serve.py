"""How the kit serves notebooks as apps with Voila: one command line, used by
``ethicskit workshop``, ``ethicskit dashboard`` and the browser tests.

The pages load nothing from the internet (the kit's ``ethicskit`` Voila
template drops the Font Awesome CDN links), nbgrader's JupyterLab extension
stays out of Voila, executions time out, and idle kernels are culled.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SHARE = Path(__file__).resolve().parent / "share"
EXECUTION_TIMEOUT = 60
# JupyterLab extensions that expect the full JupyterLab shell and fail inside Voila.
DENIED_EXTENSIONS = ("@jupyter/nbgrader", "@jupyter-notebook/lab-extension")
CULL_IDLE_SECONDS = 900


def voila_command(notebook: Path | str, *, port: int, host: str = "127.0.0.1", preheat: int = 0,
                  token: str | None = None) -> list[str]:
    """The ``voila`` command line serving one notebook.

    >>> cmd = voila_command(Path("lesson.ipynb"), port=8866)
    >>> cmd[1:3], "--template=ethicskit" in cmd, "--Voila.ip=127.0.0.1" in cmd
    (['-m', 'voila'], True, True)
    """
    argv = [
        sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}", f"--Voila.ip={host}",
        "--template=ethicskit", *(f"--VoilaConfiguration.extension_denylist={e}" for e in DENIED_EXTENSIONS),
        f"--VoilaExecutor.timeout={EXECUTION_TIMEOUT}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}", "--MappingKernelManager.cull_interval=60",
    ]
    if preheat:
        argv += ["--preheat_kernel=True", f"--pool_size={preheat}"]
    if token:
        argv.append(f"--token={token}")
    return argv


def voila_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for Voila: the kit's templates on ``JUPYTER_PATH``."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE), env.get("JUPYTER_PATH", "")) if p)
    return env


LOCALHOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class ServePlan:
    """Everything needed to start one Voila server, and what to tell the person starting it."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path
    url: str
    shared: bool


def serve_plan(target: Path, *, host: str = "127.0.0.1", port: int = 8866, preheat: int = 0,
               token: str | None = None) -> ServePlan:
    """Plan a Voila server for a notebook or a folder (an index of notebooks).

    Anything but localhost is shared on the network, so it always gets a token.

    >>> plan = serve_plan(Path("modules/03-x/lesson.ipynb"), host="0.0.0.0", port=9000)
    >>> plan.shared, "token=" in plan.url, any(a.startswith("--token=") for a in plan.argv)
    (True, True, True)
    >>> serve_plan(Path("modules"), preheat=2).argv.count("--preheat_kernel=True")
    0
    """
    shared = host not in LOCALHOSTS
    if shared and not token:
        token = secrets.token_urlsafe(18)
    folder = target.suffix != ".ipynb"
    argv = voila_command(target.name, port=port, host=host, preheat=0 if folder else preheat, token=token)
    shown_host = socket.gethostname() if host in {"0.0.0.0", "::"} else host
    url = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    return ServePlan(argv, voila_env(), target.parent.resolve() if not folder else target.resolve().parent,
                     url, shared)


def lab_plan(root: Path, *, host: str = "127.0.0.1", port: int = 8888, token: str | None = None,
             as_root: bool = False) -> ServePlan:
    """JupyterLab on START_HERE, with token auth; the URL carries the token.

    JupyterLab hides a token that comes from configuration in its own log, so
    the kit makes the token and prints the URL itself.

    >>> plan = lab_plan(Path("/course"), token="abc")
    >>> plan.url
    'http://127.0.0.1:8888/lab/tree/START_HERE.ipynb?token=abc'
    >>> "--IdentityProvider.token=abc" in plan.argv, "--ServerApp.ip=127.0.0.1" in plan.argv
    (True, True)
    """
    token = token or secrets.token_hex(24)
    argv = [sys.executable, "-m", "jupyter", "lab", "START_HERE.ipynb", "--no-browser",
            f"--ServerApp.ip={host}", f"--ServerApp.port={port}", f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={token}"]
    if as_root:
        argv.append("--allow-root")
    url = f"http://{host}:{port}/lab/tree/START_HERE.ipynb?token={token}"
    return ServePlan(argv, dict(os.environ), root, url, host not in LOCALHOSTS)


def wait_until_answering(url: str, *, alive=lambda: True, timeout: float = 120.0, interval: float = 0.2) -> bool:
    """Poll ``url`` until the server answers (any HTTP status), ``alive()`` turns False, or time runs out.

    >>> wait_until_answering("http://127.0.0.1:9/", timeout=0.3, interval=0.1)
    False
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(interval)
    return False


def run_when_ready(plan: ServePlan, *, probe: str, announce) -> int:
    """Start the server of ``plan``, call ``announce()`` once ``probe`` answers, and wait for the server.

    Ctrl+C and SIGTERM go to the server, which shuts down in its own way; the server's exit code is returned.
    """
    proc = subprocess.Popen(plan.argv, cwd=plan.cwd, env=plan.env)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda sig, _frame: proc.send_signal(sig))
    if wait_until_answering(probe, alive=lambda: proc.poll() is None):
        announce()
    return proc.wait()
