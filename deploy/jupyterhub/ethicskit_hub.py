"""The ethicskit layer of a JupyterHub configuration: the course, its people and its services.

``jupyterhub_config.py`` beside this file loads it after the hub-level settings. It is
written to be loaded the other ways too: dropped into The Littlest JupyterHub's
``/opt/tljh/config/jupyterhub_config.d/`` or Zero to JupyterHub's
``/usr/local/etc/jupyterhub/jupyterhub_config.d/`` (deploy/README.md). It imports only the
standard library, so the hub's environment does not need the kit.

What it sets up:

- nbgrader's multi-course layout for one course (``ETHICSKIT_COURSE_ID``): the groups
  ``nbgrader-<course>`` (learners) and ``formgrade-<course>`` (facilitators), and the
  formgrader as a hub service named after the course, running in the course folder as the
  grader account;
- the manager dashboard (``dashboards/manager.ipynb``) as the service ``dashboard-<course>``:
  Voila behind the hub's login, for the group ``dashboard-<course>`` (managers) and for
  facilitators. Voila refuses code execution from the browser;
- roles, so only those groups reach those services; a learner reaches their own server only;
- learners' servers open on ``START_HERE.ipynb``, with the kit's lessons copied into their home
  at each start (files already there are never overwritten) and an nbgrader config for
  learners (``learner/nbgrader_config.py``) that points at the exchange;
- the gradebook in PostgreSQL (``ETHICSKIT_DB_URL``) and the exchange on a shared folder;
- a token-only service for ``ethicskit hub roster-sync``, and the login map it writes, so a
  learner who signs in with their email is their pseudonymous learner id on the hub and in the
  gradebook;
- idle learners' servers culled (jupyterhub-idle-culler);
- optionally, the grading watch service (``ethicskit grade --watch``, as the grader account):
  submissions are collected, graded and their feedback released minutes after learners submit.

Settings (environment variables of the hub):

==============================  ============================================================  ==============================
variable                        meaning                                                       default
==============================  ============================================================  ==============================
ETHICSKIT_COURSE_ID             nbgrader course id, also the formgrader service's name        ethicskit
ETHICSKIT_HUB_KIT               a checkout of the kit for learners: START_HERE, modules,      /srv/ethicskit/kit
                                datasets (read-only)
ETHICSKIT_HUB_COURSE            the grader's course folder (a checkout of the kit:            /srv/ethicskit/course
                                nbgrader_config.py, solutions/, course-data/)
ETHICSKIT_EXCHANGE              nbgrader's exchange root, writable by every server (777)      /srv/nbgrader/exchange
ETHICSKIT_DB_URL                the gradebook (SQLAlchemy URL)                                postgresql+psycopg://ethicskit@127.0.0.1/ethicskit
ETHICSKIT_HUB_DASHBOARD_DB_URL  the gradebook as the dashboard reads it (a read-only role)    ETHICSKIT_DB_URL
ETHICSKIT_HUB_USER_BIN          bin/ of the environment where the kit is installed            the hub's Python's bin/
ETHICSKIT_HUB_GRADER_USER       OS account of the formgrader and dashboard services           grader-<course>; "" = the hub's
ETHICSKIT_HUB_SYNC_TOKEN        API token of the roster-sync service (32+ random chars)       none: no roster-sync service
ETHICSKIT_HUB_LOGIN_MAP         {login: hub username} JSON written by roster-sync; re-read    /srv/jupyterhub/login-map.json
                                when it changes
ETHICSKIT_HUB_FORMGRADER_PORT   localhost port of the formgrader service                      9999
ETHICSKIT_HUB_DASHBOARD_PORT    localhost port of the dashboard service                       9998
ETHICSKIT_HUB_FORMGRADER_URL    run the formgrader elsewhere (Kubernetes: the grader pod);    none: the hub starts it
                                with ETHICSKIT_HUB_FORMGRADER_TOKEN
ETHICSKIT_HUB_DASHBOARD_URL     likewise for the dashboard, ETHICSKIT_HUB_DASHBOARD_TOKEN     none: the hub starts it
ETHICSKIT_HUB_CULL_IDLE         seconds before an idle learner server is stopped (0: never)   3600
ETHICSKIT_HUB_GRADE_WATCH       seconds between the grading watch service's looks at the      0: no watch service
                                exchange (``ethicskit grade --watch``; 10 is a good value)
ETHICSKIT_HUB_GRADE_WORKERS     its grading processes (``--workers``)                         cores + 1
ETHICSKIT_HUB_CONFIG_DIR        the folder of this file (learner/ and grader/ configs)        this file's folder
==============================  ============================================================  ==============================
"""

import json
import os
import pwd
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when loading this file)


def _env(name, default):
    return os.environ.get(name, default)


HERE = Path(_env("ETHICSKIT_HUB_CONFIG_DIR", str(Path(__file__).resolve().parent)))
COURSE = _env("ETHICSKIT_COURSE_ID", "ethicskit")
KIT = Path(_env("ETHICSKIT_HUB_KIT", "/srv/ethicskit/kit"))
COURSE_ROOT = Path(_env("ETHICSKIT_HUB_COURSE", "/srv/ethicskit/course"))
EXCHANGE = Path(_env("ETHICSKIT_EXCHANGE", "/srv/nbgrader/exchange"))
GRADEBOOK = _env("ETHICSKIT_DB_URL", "postgresql+psycopg://ethicskit@127.0.0.1/ethicskit")
DASHBOARD_DB = _env("ETHICSKIT_HUB_DASHBOARD_DB_URL", GRADEBOOK)
USER_BIN = Path(_env("ETHICSKIT_HUB_USER_BIN", str(Path(sys.executable).parent)))
GRADER_USER = _env("ETHICSKIT_HUB_GRADER_USER", f"grader-{COURSE}")
LOGIN_MAP = Path(_env("ETHICSKIT_HUB_LOGIN_MAP", "/srv/jupyterhub/login-map.json"))
CULL_IDLE = int(_env("ETHICSKIT_HUB_CULL_IDLE", "3600"))
SYNC_TOKEN = os.environ.get("ETHICSKIT_HUB_SYNC_TOKEN", "")
GRADE_WATCH = float(_env("ETHICSKIT_HUB_GRADE_WATCH", "0"))
GRADE_WORKERS = _env("ETHICSKIT_HUB_GRADE_WORKERS", "")

# Group and service names: nbgrader's conventions, plus a group and a service for the dashboard.
LEARNERS, FACILITATORS, MANAGERS = f"nbgrader-{COURSE}", f"formgrade-{COURSE}", f"dashboard-{COURSE}"
FORMGRADER, DASHBOARD, ROSTER_SYNC = COURSE, f"dashboard-{COURSE}", "ethicskit-roster-sync"
GRADE_WATCH_SERVICE = f"grade-watch-{COURSE}"
# What a learner's home starts with (copied at each start, never overwriting).
LEARNER_FILES = ("START_HERE.ipynb", "modules")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"

# --- who may log in: the roster's learners (as their learner id) and the staff ----------------------


class LoginMap(dict):
    """``Authenticator.username_map`` read from the JSON file roster-sync writes, re-read on change.

    Learners sign in with their company login (often their email); the hub, their server's URL
    and nbgrader's gradebook know them by their pseudonymous learner id. JupyterHub applies the
    map in ``normalize_username``, before its allow check, with any authenticator.
    """

    def __init__(self, path):
        super().__init__()
        self.path, self.mtime = str(path), None

    def _refresh(self):
        try:
            mtime = os.stat(self.path).st_mtime
        except OSError:
            mtime = None
        if mtime != self.mtime:
            self.clear()
            if mtime is not None:
                with open(self.path, encoding="utf-8") as fh:
                    self.update({k.lower(): v for k, v in json.load(fh).items()})
            self.mtime = mtime

    def get(self, key, default=None):
        self._refresh()
        return super().get(key, default)

    def __contains__(self, key):
        self._refresh()
        return super().__contains__(key)


c.Authenticator.username_map = LoginMap(LOGIN_MAP)
# Only users on the hub may log in: roster-sync creates learners and staff, admins others.
c.Authenticator.allow_all = False
c.Authenticator.allow_existing_users = True



def landing_page(handler):
    """Where people land after login: facilitators on the formgrader, managers on the dashboard,
    learners on their own server (START_HERE). Staff need no server, nor a system account for one."""
    user = handler.current_user
    groups = {g.name for g in user.groups} if user is not None else set()
    base = handler.base_url
    if FACILITATORS in groups:
        return f"{base}services/{FORMGRADER}/formgrader"
    if MANAGERS in groups:
        return f"{base}services/{DASHBOARD}/"
    return f"{base}hub/spawn"


c.JupyterHub.default_url = landing_page

# --- learners' servers ------------------------------------------------------------------------------

c.Spawner.default_url = "/lab/tree/START_HERE.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.environment.update({
    # The kit's practice data and decision trees, read-only from the kit's checkout.
    "ETHICSKIT_ROOT": str(KIT),
    "ETHICSKIT_DATASETS": str(KIT / "datasets"),
    # nbgrader for learners: the course and the exchange (learner/nbgrader_config.py reads these).
    "JUPYTER_CONFIG_PATH": str(HERE / "learner"),
    "ETHICSKIT_COURSE_ID": COURSE,
    "ETHICSKIT_EXCHANGE": str(EXCHANGE),
})
if "ETHICSKIT_HUB_USER_BIN" in os.environ:  # servers on this machine: the kit's environment first on PATH
    c.Spawner.environment.update({"PATH": f"{USER_BIN}{os.pathsep}{SYSTEM_PATH}"})
# nbgrader's JupyterHubAuthPlugin asks the hub which course groups the learner is in.
c.Spawner.server_token_scopes = [
    "access:servers!server", "users:activity!user", "read:users:name!user", "read:users:groups!user",
]


def _home_of(spawner):
    if hasattr(spawner, "home_dir_template"):  # SimpleLocalProcessSpawner: no system users
        return Path(spawner.home_dir), None, None
    entry = pwd.getpwnam(spawner.user.name)
    return Path(entry.pw_dir), entry.pw_uid, entry.pw_gid


def copy_learner_files(spawner):
    """Pre-spawn hook: START_HERE and the lessons into the learner's home, never overwriting.

    A module added in a course upgrade reaches every home at the next start; a file the learner
    already has, edited or not, is left alone. Only for spawners on this machine; on
    Kubernetes the single-user image's postStart hook does the same (deploy/kubernetes/).
    """
    if not spawner.__class__.__name__.endswith("LocalProcessSpawner"):
        return
    home, uid, gid = _home_of(spawner)
    home.mkdir(parents=True, exist_ok=True)
    for name in LEARNER_FILES:
        source = KIT / name
        paths = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in paths:
            if ".ipynb_checkpoints" in path.parts or "__pycache__" in path.parts:
                continue
            target = home / path.relative_to(KIT)
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            if uid is not None and os.geteuid() == 0:
                for part in [path.relative_to(KIT), *path.relative_to(KIT).parents]:
                    os.chown(home / part, uid, gid)


c.Spawner.pre_spawn_hook = copy_learner_files

# --- the exchange ----------------------------------------------------------------------------------

try:
    EXCHANGE.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        EXCHANGE.chmod(0o777)  # nbgrader's exchange root: everyone writes; nbgrader sets modes below it
except OSError as exc:  # a read-only or remote mount: the administrator prepares it (deploy/README.md)
    print(f"ethicskit: cannot prepare the exchange {EXCHANGE}: {exc}", file=sys.stderr)

# --- services: formgrader, dashboard, roster-sync, idle culler ---------------------------------------

_course_env = {
    "ETHICSKIT_ROOT": str(COURSE_ROOT),
    "ETHICSKIT_COURSE_ID": COURSE,
    "ETHICSKIT_EXCHANGE": str(EXCHANGE),
    "PATH": f"{USER_BIN}{os.pathsep}{SYSTEM_PATH}",
}
for _name in ("ETHICSKIT_DATASETS", "LANG", "LC_ALL"):
    if _name in os.environ:
        _course_env[_name] = os.environ[_name]
_as_user = {}
if not GRADER_USER and "HOME" in os.environ:  # services run as the hub's own user, in its home
    _course_env["HOME"] = os.environ["HOME"]
if GRADER_USER:
    _as_user = {"user": GRADER_USER}
    try:
        _course_env["HOME"] = pwd.getpwnam(GRADER_USER).pw_dir
    except KeyError:
        print(f"ethicskit: the grader account {GRADER_USER!r} does not exist (deploy/README.md)", file=sys.stderr)
_allow_root = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 and not GRADER_USER else []


def _service(name, port_var, default_port, command, environment):
    """A hub-managed service on localhost, or an external one when <...>_URL is set (Kubernetes)."""
    external = os.environ.get(f"ETHICSKIT_HUB_{port_var}_URL")
    common = {"name": name, "display": True, "oauth_no_confirm": True}
    if external:
        return {**common, "url": external, "api_token": os.environ[f"ETHICSKIT_HUB_{port_var}_TOKEN"],
                "oauth_client_id": f"service-{name}",
                "oauth_redirect_uri": f"/services/{name}/oauth_callback"}
    port = _env(f"ETHICSKIT_HUB_{port_var}_PORT", default_port)
    return {**common, "url": f"http://127.0.0.1:{port}", "command": command, "cwd": str(COURSE_ROOT),
            "environment": environment, **_as_user}


_services = [
    # nbgrader's formgrader: a Jupyter server in the course folder, as the grader account.
    # Facilitators open /services/<course>/formgrader in its own tab (JupyterHub >= 4.1 blocks
    # it in an iframe) and run `ethicskit collect` and `ethicskit grade` in its terminal.
    _service(FORMGRADER, "FORMGRADER", "9999",
             [str(USER_BIN / "jupyterhub-singleuser"), f"--ServerApp.root_dir={COURSE_ROOT}",
              "--ServerApp.default_url=/formgrader", *_allow_root],
             {**_course_env, "ETHICSKIT_DB_URL": GRADEBOOK, "JUPYTER_CONFIG_PATH": str(HERE / "grader")}),
    # The manager dashboard: Voila on dashboards/manager.ipynb behind the hub's login.
    _service(DASHBOARD, "DASHBOARD", "9998", [str(USER_BIN / "ethicskit"), "hub", "dashboard"],
             {**_course_env, "ETHICSKIT_DB_URL": DASHBOARD_DB}),
]
if SYNC_TOKEN:
    _services.append({"name": ROSTER_SYNC, "api_token": SYNC_TOKEN})  # token only: no process, no URL
if GRADE_WATCH > 0:
    # Feedback minutes after submitting: collect from the exchange, grade (sandboxed), release feedback.
    # No URL and no API scopes: it works on the course folder, the exchange and the gradebook. The hub
    # restarts it if it exits, and stops it with SIGINT (it finishes its step: up to 30 s, then SIGTERM).
    _services.append({"name": GRADE_WATCH_SERVICE, "cwd": str(COURSE_ROOT), **_as_user,
                      "command": [str(USER_BIN / "ethicskit"), "grade", "--watch", "--interval", f"{GRADE_WATCH:g}",
                                  *(["--workers", GRADE_WORKERS] if GRADE_WORKERS else [])],
                      "environment": {**_course_env, "ETHICSKIT_DB_URL": GRADEBOOK}})
if CULL_IDLE > 0:
    _services.append({"name": "idle-culler", "command": [
        sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_IDLE}", "--cull-every=300"]})
c.JupyterHub.services = [*c.JupyterHub.get("services", []), *_services]

# --- groups and roles ----------------------------------------------------------------------------

c.JupyterHub.load_groups = {**c.JupyterHub.get("load_groups", {}),
                            **{name: {"users": []} for name in (LEARNERS, FACILITATORS, MANAGERS)}}
_roles = [
    {
        # Everyone: their own account and server, nothing else (JupyterHub's default, stated).
        "name": "user",
        "scopes": ["self"],
    },
    {
        "name": f"facilitator-{COURSE}",
        "description": "Open the course's formgrader and manager dashboard",
        "groups": [FACILITATORS],
        "scopes": [f"access:services!service={FORMGRADER}", f"access:services!service={DASHBOARD}",
                   f"read:services!service={FORMGRADER}", f"read:services!service={DASHBOARD}"],
    },
    {
        "name": f"manager-{COURSE}",
        "description": "Open the course's manager dashboard (read-only)",
        "groups": [MANAGERS],
        "scopes": [f"access:services!service={DASHBOARD}", f"read:services!service={DASHBOARD}"],
    },
]
if SYNC_TOKEN:
    _roles.append({
        "name": "ethicskit-roster-sync",
        "description": "Create learners' and staff's hub users; set the course's groups",
        "services": [ROSTER_SYNC],
        "scopes": ["list:users", "read:users", "admin:users", "list:groups", "read:groups", "groups", "admin:groups"],
    })
if CULL_IDLE > 0:
    _roles.append({"name": "idle-culler", "services": ["idle-culler"],
                   "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]})
c.JupyterHub.load_roles = [*c.JupyterHub.get("load_roles", []), *_roles]
