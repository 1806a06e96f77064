"""The manager dashboard as a JupyterHub service: Voila behind the hub's login.

The hub starts ``ethicskit hub dashboard`` as a managed service and hands it, in the
environment, the address to listen on (``JUPYTERHUB_SERVICE_URL``), its URL prefix
(``JUPYTERHUB_SERVICE_PREFIX``) and its OAuth client. Voila serves one notebook,
``dashboards/manager.ipynb``, with JupyterHub's OAuth identity provider: only users whose
roles grant ``access:services!service=<name>`` get past it (managers and facilitators),
everyone else gets HTTP 403. Voila itself refuses code execution from the browser, so the
service shows the dashboard and nothing else.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from ethicskit.course.errors import CourseError
from ethicskit.serve import ServePlan, voila_command, voila_env

IDENTITY_PROVIDER = "ethicskit.hub._voila_auth.HubIdentityProvider"
AUTHORIZER = "jupyterhub.singleuser.extension.JupyterHubAuthorizer"
DASHBOARD = Path("dashboards") / "manager.ipynb"
NOT_A_SERVICE = ("{missing} not set: `ethicskit hub dashboard` runs as a JupyterHub service "
                 "(deploy/jupyterhub/jupyterhub_config.py); on a laptop, use `ethicskit dashboard`")


def dashboard_service_plan(root: Path, environ: Mapping[str, str] | None = None) -> ServePlan:
    """The Voila command line for the dashboard service, from the hub's service environment.

    >>> env = {"JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:9998", "JUPYTERHUB_SERVICE_PREFIX": "/services/d/"}
    >>> plan = dashboard_service_plan(Path("/srv/course"), env)
    >>> plan.url, "--Voila.base_url=/services/d/" in plan.argv, "--port=9998" in plan.argv
    ('/services/d/', True, True)
    """
    environ = os.environ if environ is None else environ
    missing = [n for n in ("JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_SERVICE_PREFIX") if not environ.get(n)]
    if missing:
        raise CourseError(NOT_A_SERVICE.format(missing=", ".join(missing)))
    address = urllib.parse.urlsplit(environ["JUPYTERHUB_SERVICE_URL"])
    prefix = environ["JUPYTERHUB_SERVICE_PREFIX"]
    notebook = Path(root) / DASHBOARD
    argv = voila_command(notebook.name, port=address.port or 80, host=address.hostname or "127.0.0.1") + [
        f"--Voila.base_url={prefix}",
        f"--Voila.identity_provider_class={IDENTITY_PROVIDER}",
        f"--Voila.authorizer_class={AUTHORIZER}",
    ]
    env = voila_env(dict(environ))
    env["ETHICSKIT_ROOT"] = str(root)
    return ServePlan(argv, env, notebook.parent, prefix, shared=True)
