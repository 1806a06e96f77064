"""Jupyter server configuration for the formgrader service (the grader account's server).

jupyterhub_config.py puts this folder on the service's JUPYTER_CONFIG_PATH.
"""

import shutil

c = get_config()  # noqa: F821 (provided by traitlets when loading this file)

# Terminals start a non-login shell, so they keep the service's environment: the kit's bin/
# first on PATH (`ethicskit collect`, `ethicskit grade`), the gradebook URL, the exchange and
# the course root. A login shell would reset PATH from /etc/profile.
c.ServerApp.terminado_settings = {"shell_command": [shutil.which("bash") or "/bin/sh"]}
