"""Running the kit on JupyterHub: roster-sync, and the dashboard as a hub service.

The hub's own configuration lives in ``deploy/jupyterhub/jupyterhub_config.py``; the guide
is ``deploy/README.md``. Nothing here is imported by ``ethicskit --help``.
"""

from ethicskit.hub._client import HubClient, HubError
from ethicskit.hub._dashboard import dashboard_service_plan
from ethicskit.hub._sync import (
    SyncPlan,
    SyncResult,
    apply_plan,
    course_groups,
    plan_sync,
    read_staff,
    roster_sync,
    write_login_map,
)

__all__ = ["HubClient", "HubError", "SyncPlan", "SyncResult", "apply_plan", "course_groups",
           "dashboard_service_plan", "plan_sync", "read_staff", "roster_sync", "write_login_map"]
