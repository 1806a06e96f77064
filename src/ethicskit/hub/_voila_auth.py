"""JupyterHub's OAuth identity provider for a standalone Voila server (the dashboard service).

Voila 0.5 takes ``--Voila.identity_provider_class`` but registers the provider's handlers
(the OAuth callback) without its ``base_url``. This subclass puts them under the service's
prefix, where the hub sends the browser back after login. Imported only by the Voila process.
"""

from __future__ import annotations

from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from jupyterhub.utils import url_path_join


class HubIdentityProvider(JupyterHubIdentityProvider):
    """Hub OAuth login for Voila, with its handlers under ``JUPYTERHUB_SERVICE_PREFIX``."""

    def get_handlers(self):
        prefix = self.hub_auth.base_url
        return [(url_path_join(prefix, path), *rest) for path, *rest in super().get_handlers()]
