"""nbgrader configuration for learners' servers on the hub.

jupyterhub_config.py puts this folder on learners' JUPYTER_CONFIG_PATH (on Kubernetes, the
image copies it to /etc/jupyter/), so nbgrader's Assignments tab and server extension find
the course and the exchange. Values come from the server's environment, set by the hub.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when loading this file)

c.CourseDirectory.course_id = os.environ.get("ETHICSKIT_COURSE_ID", "ethicskit")
c.Exchange.root = os.environ.get("ETHICSKIT_EXCHANGE", "/srv/nbgrader/exchange")

# Multi-course setup: a learner sees, fetches and submits only in courses whose
# nbgrader-<course> group they are in (ethicskit hub roster-sync sets it).
c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"

# Submissions carry the hub username, which is the learner's pseudonymous learner id. Without
# this, nbgrader uses the account name, which differs on The Littlest JupyterHub
# ("jupyter-<name>") and is shared on local test hubs.
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
