"""A real JupyterHub on localhost, run from ``deploy/jupyterhub/jupyterhub_config.py``, and its PostgreSQL.

PostgreSQL is found as ``tests/test_course_postgres.py`` finds it: the server named by
``ETHICSKIT_TEST_POSTGRES_URL`` (``.ci/run`` starts Debian's and sets it), else a throwaway
cluster started from Debian's binaries in a temporary folder (as the ``postgres`` user when
run as root, since initdb refuses root).

The hub uses the shared-password authenticator, the simple local process spawner (every
server runs as this process's user; homes in the hub's state folder) and
configurable-http-proxy from ``node_modules``. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
BIN = Path(sys.executable).parent
PROXY = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_FILES = ("nbgrader_config.py", "decision_trees", "dashboards")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- PostgreSQL -----------------------------------------------------------------------------------

def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_postgres_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def postgres_available() -> bool:
    return bool(os.environ.get("ETHICSKIT_TEST_POSTGRES_URL") or (_pg_bin("initdb") and _pg_bin("pg_ctl")))


@contextlib.contextmanager
def postgres_server():
    """An admin URL (``postgresql+psycopg://``) of a running PostgreSQL server."""
    url = os.environ.get("ETHICSKIT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="ek-hub-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    subprocess.run(_as_postgres_user([initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]),
                   check=True, capture_output=True)
    subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "start", "-o",
                                      f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True,
                       check=False)
        shutil.rmtree(folder, ignore_errors=True)


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@contextlib.contextmanager
def postgres_database(server_url: str, prefix: str = "ethicskit_hub"):
    """A fresh database on the server (its URL), dropped afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq(server_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(libpq(server_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_bytes(url: str) -> int:
    import psycopg

    with psycopg.connect(libpq(url)) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


# --- the course and the hub -----------------------------------------------------------------------

def make_course(folder: Path, *modules: str) -> Path:
    """A course folder for the grader: the kit's config, dashboards and the named modules."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in COURSE_FILES:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    for slug in modules:
        for parent in ("modules", "solutions", "exercises"):
            if (REPO / parent / slug).is_dir():
                shutil.copytree(REPO / parent / slug, folder / parent / slug)
    return folder


class Hub:
    """A JupyterHub process on 127.0.0.1 with the kit's config; ``url`` is its public URL."""

    def __init__(self, folder: Path, course: Path, gradebook_url: str, *, course_id: str = "ethicskit"):
        self.folder = folder
        self.state = folder / "hub"
        self.exchange = folder / "exchange"
        self.course = course
        self.course_id = course_id
        self.port, self.api_port, self.proxy_api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"http://127.0.0.1:{self.port}/hub/api"
        self.password = secrets.token_urlsafe(12)
        self.sync_token = secrets.token_hex(24)
        self.login_map = self.state / "login-map.json"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "JPY_", "ETHICSKIT_"))},
            "PATH": os.pathsep.join([str(BIN), str(PROXY.parent), os.environ.get("PATH", "/usr/bin:/bin")]),
            "HOME": str(folder / "grader-home"),  # the services' home: keeps the real one clean
            "ETHICSKIT_COURSE_ID": course_id,
            "ETHICSKIT_HUB_KIT": str(REPO),
            "ETHICSKIT_HUB_COURSE": str(course),
            "ETHICSKIT_EXCHANGE": str(self.exchange),
            "ETHICSKIT_DB_URL": gradebook_url,
            "ETHICSKIT_DATASETS": str(REPO / "datasets"),
            "ETHICSKIT_HUB_STATE": str(self.state),
            "ETHICSKIT_HUB_BIND_URL": self.url,
            "ETHICSKIT_HUB_API_BIND_URL": f"http://127.0.0.1:{self.api_port}",
            "ETHICSKIT_HUB_PROXY_API_URL": f"http://127.0.0.1:{self.proxy_api_port}",
            "ETHICSKIT_HUB_GRADER_USER": "",
            "ETHICSKIT_HUB_SPAWNER": "simple",
            "ETHICSKIT_HUB_AUTHENTICATOR": "shared-password",
            "ETHICSKIT_HUB_PASSWORD": self.password,
            "ETHICSKIT_HUB_SYNC_TOKEN": self.sync_token,
            "ETHICSKIT_HUB_LOGIN_MAP": str(self.login_map),
            "ETHICSKIT_HUB_FORMGRADER_PORT": str(free_port()),
            "ETHICSKIT_HUB_DASHBOARD_PORT": str(free_port()),
        }
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log_path(self) -> Path:
        return self.state / "jupyterhub.log"

    def start(self, timeout: float = 90) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        Path(self.env["HOME"]).mkdir(exist_ok=True)
        self.starts += 1
        log = open(self.log_path, "a")  # noqa: SIM115 - the hub process writes to it after this returns
        log.write(f"\n----- start {self.starts} -----\n")
        log.flush()
        self.proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(CONFIG)], cwd=self.state, env=self.env,
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.proc.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.api_url, timeout=2).status_code == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"jupyterhub did not answer in {timeout} s:\n{self.log_tail()}")

    def stop(self, timeout: float = 30) -> None:
        """Stop the hub as an administrator would (SIGTERM); learners' servers keep running."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def server_pids(self) -> list[int]:
        """Pids of the learners' servers this hub started (from its database)."""
        db = self.state / "jupyterhub.sqlite"
        if not db.exists():
            return []
        with contextlib.closing(sqlite3.connect(db)) as conn:
            states = [json.loads(s or "{}") for (s,) in conn.execute("SELECT state FROM spawners")]
        return [s["pid"] for s in states if s.get("pid")]

    def server_pid(self, name: str) -> int | None:
        """The pid of one user's server (from the hub's database)."""
        with contextlib.closing(sqlite3.connect(self.state / "jupyterhub.sqlite")) as conn:
            row = conn.execute("SELECT spawners.state FROM spawners JOIN users ON spawners.user_id = users.id "
                               "WHERE users.name = ? AND spawners.name = ''", (name,)).fetchone()
        return json.loads(row[0] or "{}").get("pid") if row else None

    def close(self) -> None:
        """Stop the hub, then every server it started (by pid), then anything left in its session."""
        pids = self.server_pids()
        self.stop()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for pid in pids:
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.1)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if self.proc:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def ethicskit(self, *args: str, check: bool = True, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        """Run the kit's CLI as the course's administrator (in the course folder)."""
        env = {**self.env, "ETHICSKIT_ROOT": str(self.course), **(extra_env or {})}
        proc = subprocess.run([str(BIN / "ethicskit"), *args], cwd=self.course, env=env, capture_output=True,
                              text=True, timeout=600, check=False)
        if check and proc.returncode != 0:
            raise AssertionError(f"ethicskit {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


# --- people on the hub -----------------------------------------------------------------------------

class Person:
    """Someone who logs in with the login form, then uses the REST API with their own token."""

    def __init__(self, hub: Hub, login: str):
        self.hub, self.login = hub, login
        self.session = requests.Session()
        self.name = ""
        self.token = ""

    def log_in(self) -> Person:
        s, url = self.session, self.hub.url
        s.get(f"{url}/hub/login", timeout=30)
        r = s.post(f"{url}/hub/login", data={"username": self.login, "password": self.hub.password,
                                             "_xsrf": s.cookies.get("_xsrf", "")}, allow_redirects=False, timeout=60)
        assert r.status_code == 302, f"{self.login} could not log in: HTTP {r.status_code}\n{r.text[:500]}"
        xsrf = {"X-XSRFToken": s.cookies.get("_xsrf", "")}
        me = s.get(f"{url}/hub/api/user", headers=xsrf, timeout=30)
        assert me.status_code == 200, me.text
        self.name = me.json()["name"]
        r = s.post(f"{url}/hub/api/users/{self.name}/tokens", json={"note": "ethicskit hub test"}, headers=xsrf,
                   timeout=30)
        assert r.status_code in (200, 201), r.text
        self.token = r.json()["token"]
        return self

    @property
    def headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.hub.url + path, headers=self.headers, timeout=120, allow_redirects=False, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.hub.url + path, headers=self.headers, timeout=300, allow_redirects=False, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return requests.put(self.hub.url + path, headers=self.headers, timeout=120, allow_redirects=False, **kwargs)

    def start_server(self, timeout: float = 120) -> str:
        """Start the person's own server and wait until it answers; returns its URL prefix."""
        r = self.post(f"/hub/api/users/{self.name}/server")
        assert r.status_code in (201, 202, 400), r.text  # 400: already running
        prefix = f"/user/{self.name}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.get(f"/hub/api/users/{self.name}").json()
            server = (model.get("servers") or {}).get("")
            if server and server.get("ready") and self.get(f"{prefix}/api/status").status_code == 200:
                return prefix
            time.sleep(0.5)
        raise AssertionError(f"{self.name}'s server did not start in {timeout} s:\n{self.hub.log_tail()}")

    def stop_server(self) -> None:
        requests.delete(f"{self.hub.url}/hub/api/users/{self.name}/server", headers=self.headers, timeout=60)


def run_async(make_coroutine):
    """Run a coroutine to completion in its own thread and event loop.

    Under pytest-xdist a worker may already have run Playwright's sync API,
    which keeps an event loop running in the main thread; asyncio.run() there fails.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def run_in_terminal(hub: Hub, person: Person, prefix: str, command: str, timeout: float = 600) -> tuple[int, str]:
    """Run a shell command in a Jupyter terminal of ``prefix`` (e.g. the formgrader service).

    Uses the Jupyter server's terminals REST API and websocket, as JupyterLab's terminal does.
    Returns the command's exit status and the terminal's output.
    """
    import asyncio
    import re

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    r = person.post(f"{prefix}/api/terminals")
    assert r.status_code == 200, f"cannot open a terminal: HTTP {r.status_code} {r.text[:300]}"
    name = r.json()["name"]
    marker = f"EK-DONE-{secrets.token_hex(4)}"
    done = re.compile(re.escape(marker) + r"-(\d+)")

    async def _run() -> tuple[int, str]:
        url = hub.url.replace("http://", "ws://") + f"{prefix}/terminals/websocket/{name}"
        ws = await websocket_connect(HTTPRequest(url, headers=person.headers))
        ws.write_message(json.dumps(["stdin", f"{command}; echo {marker}-$?\r"]))
        out = ""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                msg = await asyncio.wait_for(ws.read_message(), timeout=max(1.0, deadline - time.monotonic()))
                if msg is None:
                    break
                kind, *payload = json.loads(msg)
                if kind == "stdout":
                    out += payload[0]
                    found = done.search(out)
                    if found:
                        return int(found.group(1)), out
        finally:
            ws.close()
        raise AssertionError(f"the terminal command did not finish in {timeout} s:\n{out[-3000:]}")

    try:
        return run_async(_run)
    finally:
        requests.delete(f"{hub.url}{prefix}/api/terminals/{name}", headers=person.headers, timeout=30)


def execute_in_kernel(person: Person, prefix: str, cells: list[str], timeout: float = 300) -> str:
    """Start a kernel in ``prefix`` (a user's server) and run code cells in it, as JupyterLab would.

    Returns the kernel id; raises if a cell fails. Uses the kernels REST API and websocket.
    """
    import asyncio

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    r = person.post(f"{prefix}/api/kernels", json={"name": "python3"})
    assert r.status_code == 201, r.text
    kernel = r.json()["id"]
    session = uuid.uuid4().hex

    async def _run() -> None:
        url = person.hub.url.replace("http://", "ws://") + f"{prefix}/api/kernels/{kernel}/channels"
        ws = await websocket_connect(HTTPRequest(url, headers=person.headers))
        try:
            for code in cells:
                msg_id = uuid.uuid4().hex
                ws.write_message(json.dumps({
                    "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": person.name,
                               "session": session, "date": "", "version": "5.3"},
                    "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                    "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                "allow_stdin": False, "stop_on_error": True}}))
                while True:
                    reply = json.loads(await asyncio.wait_for(ws.read_message(), timeout))
                    if reply.get("parent_header", {}).get("msg_id") == msg_id and reply["msg_type"] == "execute_reply":
                        status = reply["content"]["status"]
                        assert status == "ok", f"cell failed: {reply['content'].get('evalue')}\n{code[:300]}"
                        break
        finally:
            ws.close()

    run_async(_run)
    return kernel


def memory_of(pid: int) -> dict[str, float]:
    """Resident (RSS) and proportional (PSS) memory of a process, in MiB (PSS shares libraries fairly)."""
    import psutil

    process = psutil.Process(pid)
    full = process.memory_full_info()
    return {"rss_mib": full.rss / 2**20, "pss_mib": getattr(full, "pss", full.rss) / 2**20}


def children_of(pid: int) -> list[int]:
    import psutil

    return [p.pid for p in psutil.Process(pid).children(recursive=True)]
