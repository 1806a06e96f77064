"""JupyterHub configuration for an ethicskit rollout on one server.

Run it as ``jupyterhub -f /srv/ethicskit/kit/deploy/jupyterhub/jupyterhub_config.py`` (the
systemd unit ``jupyterhub.service`` beside this file does; deploy/README.md has the whole
setup). This file holds the hub-level settings; the course, its people and its services are
in ``ethicskit_hub.py``, loaded at the end, which also drops into other hubs' config folders
(The Littlest JupyterHub, Zero to JupyterHub).

Settings are environment variables (the systemd unit reads them from /etc/ethicskit/hub.env);
``ethicskit_hub.py`` lists the course's. The hub-level ones:

==============================  ===========================================================  ===============================
variable                        meaning                                                      default
==============================  ===========================================================  ===============================
ETHICSKIT_HUB_STATE             the hub's own database, cookie secret and proxy pid file     /srv/jupyterhub
ETHICSKIT_HUB_DB_URL            the hub's own database (not the gradebook)                   sqlite in ETHICSKIT_HUB_STATE
ETHICSKIT_HUB_BIND_URL          where the proxy listens; TLS terminates in front of it       http://127.0.0.1:8000
ETHICSKIT_HUB_API_BIND_URL      where the hub listens (servers and services reach it)        http://127.0.0.1:8081
ETHICSKIT_HUB_PROXY_API_URL     configurable-http-proxy's API                                http://127.0.0.1:8001
ETHICSKIT_HUB_AUTHENTICATOR     an authenticator: entry-point name or class path, e.g.       pam
                                ``generic-oauth`` (oauthenticator); ``shared-password`` for
                                tests and demos, with ETHICSKIT_HUB_PASSWORD
ETHICSKIT_HUB_ADMINS            comma-separated hub admin usernames                          (none)
ETHICSKIT_HUB_SPAWNER           ``localprocess`` (a system user per hub user) or ``simple``  localprocess
                                (tests: every server as the hub's user, homes in
                                ETHICSKIT_HUB_STATE/home), or a spawner's name or class
ETHICSKIT_HUB_MEM_LIMIT         memory limit per learner server, for spawners that enforce   1G
                                it (systemd, Kubernetes); see the sizing in deploy/README.md
ETHICSKIT_HUB_SITE_CONFIG       a Python config file of the site's own settings, loaded      (none)
                                last (e.g. the authenticator's options)
==============================  ===========================================================  ===============================
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when loading this file)

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("ETHICSKIT_HUB_STATE", "/srv/jupyterhub"))
USER_BIN = Path(os.environ.get("ETHICSKIT_HUB_USER_BIN", str(Path(sys.executable).parent)))
STATE.mkdir(parents=True, exist_ok=True)

c.JupyterHub.bind_url = os.environ.get("ETHICSKIT_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = os.environ.get("ETHICSKIT_HUB_API_BIND_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get("ETHICSKIT_HUB_PROXY_API_URL", "http://127.0.0.1:8001")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = os.environ.get("ETHICSKIT_HUB_DB_URL", f"sqlite:///{STATE / 'jupyterhub.sqlite'}")
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
# A hub restart (an upgrade, a crash) leaves learners' servers, and their unsaved work, running.
c.JupyterHub.cleanup_servers = False

# Who logs in.
c.JupyterHub.authenticator_class = os.environ.get("ETHICSKIT_HUB_AUTHENTICATOR", "pam")
if c.JupyterHub.authenticator_class == "shared-password":
    c.SharedPasswordAuthenticator.user_password = os.environ["ETHICSKIT_HUB_PASSWORD"]
c.Authenticator.admin_users = {n.strip() for n in os.environ.get("ETHICSKIT_HUB_ADMINS", "").split(",") if n.strip()}

# Where learners' servers run: processes on this machine, from the environment with the kit.
c.JupyterHub.spawner_class = os.environ.get("ETHICSKIT_HUB_SPAWNER", "localprocess")
if c.JupyterHub.spawner_class == "simple":
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
    if os.geteuid() == 0:
        c.Spawner.args = ["--ServerApp.allow_root=True"]  # only here do servers run as the hub's user
c.Spawner.cmd = [str(USER_BIN / "jupyterhub-singleuser")]
os.environ.setdefault("ETHICSKIT_HUB_USER_BIN", str(USER_BIN))  # ethicskit_hub.py puts it first on PATH
c.Spawner.mem_limit = os.environ.get("ETHICSKIT_HUB_MEM_LIMIT", "1G")
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180

# The course, its people and its services.
load_subconfig(str(HERE / "ethicskit_hub.py"))  # noqa: F821 (provided by traitlets)
# The site's own settings last (the authenticator's options, e.g. GenericOAuthenticator.username_claim).
if os.environ.get("ETHICSKIT_HUB_SITE_CONFIG"):
    load_subconfig(os.environ["ETHICSKIT_HUB_SITE_CONFIG"])  # noqa: F821
