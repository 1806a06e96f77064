"""How the kit serves notebooks as apps with Voila: one command line, used by
``ethicskit workshop``, ``ethicskit dashboard`` and the browser tests.

The pages load nothing from the internet (the kit's ``ethicskit`` Voila
template drops the Font Awesome CDN links), nbgrader's JupyterLab extension
stays out of Voila, executions time out, and idle kernels are culled.

``workshop`` and ``dashboard`` always require a token (made here, printed in
the URL), as ``start`` does. On localhost they also check the ``Host`` header:
Voila turns Jupyter Server's check off (it passes ``allow_remote_access=True``),
and the kit turns it back on through ``Voila.tornado_settings``, so only
loopback addresses and ``localhost`` are served (a DNS-rebinding page is
refused with 403). A server shared on the network keeps the token as its
guard. The dashboard also caps its kernels (``CappedKernelManager``) and culls
idle ones after a minute.
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
DASHBOARD_CULL_IDLE_SECONDS = 60
CAPPED_KERNEL_MANAGER = "ethicskit._voila_kernels.CappedKernelManager"


def voila_command(notebook: Path | str, *, port: int, host: str = "127.0.0.1", preheat: int = 0,
                  token: str | None = None, check_host: bool = False, max_kernels: int | None = None,
                  cull_idle: int = CULL_IDLE_SECONDS) -> list[str]:
    """The ``voila`` command line serving one notebook.

    ``check_host`` serves only requests whose ``Host`` is a loopback address or
    ``localhost``; ``max_kernels`` caps the kernels running at once.

    >>> cmd = voila_command(Path("lesson.ipynb"), port=8866)
    >>> cmd[1:3], "--template=ethicskit" in cmd, "--Voila.ip=127.0.0.1" in cmd
    (['-m', 'voila'], True, True)
    >>> [a for a in voila_command("x.ipynb", port=1, check_host=True) if "tornado_settings" in a]
    ['--Voila.tornado_settings={"allow_remote_access": False, "local_hostnames": ["localhost"]}']
    """
    argv = [
        sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}", f"--Voila.ip={host}",
        "--template=ethicskit", *(f"--VoilaConfiguration.extension_denylist={e}" for e in DENIED_EXTENSIONS),
        f"--VoilaExecutor.timeout={EXECUTION_TIMEOUT}",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={min(60, cull_idle)}",
    ]
    if preheat:
        argv += ["--preheat_kernel=True", f"--pool_size={preheat}"]
    if token:
        argv.append(f"--token={token}")
    if check_host:
        # The whole-dict form: the key=value form would pass the string "False", which is true.
        argv.append('--Voila.tornado_settings={"allow_remote_access": False, "local_hostnames": ["localhost"]}')
    if max_kernels:
        argv += [f"--VoilaConfiguration.multi_kernel_manager_class={CAPPED_KERNEL_MANAGER}",
                 f"--CappedKernelManager.max_kernels={max_kernels}"]
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
               token: str | None = None, max_kernels: int | None = None,
               cull_idle: int = CULL_IDLE_SECONDS) -> ServePlan:
    """Plan a Voila server for a notebook or a folder (an index of notebooks).

    It always gets a token (made here unless given), printed in the URL. On
    localhost the ``Host`` header is checked too; anything else is shared on
    the network, where the token is the guard.

    >>> plan = serve_plan(Path("modules/03-x/lesson.ipynb"), host="0.0.0.0", port=9000)
    >>> plan.shared, "token=" in plan.url, any(a.startswith("--token=") for a in plan.argv)
    (True, True, True)
    >>> local = serve_plan(Path("modules"), preheat=2)
    >>> local.argv.count("--preheat_kernel=True"), "?token=" in local.url, local.shared
    (0, True, False)
    """
    shared = host not in LOCALHOSTS
    token = token or secrets.token_urlsafe(24)
    folder = target.suffix != ".ipynb"
    argv = voila_command(target.name, port=port, host=host, preheat=0 if folder else preheat, token=token,
                         check_host=not shared, max_kernels=max_kernels, cull_idle=cull_idle)
    shown_host = socket.gethostname() if host in {"0.0.0.0", "::"} else host
    url = f"http://{shown_host}:{port}/?token={token}"
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
