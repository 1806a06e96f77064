"""A small client for JupyterHub's REST API (``/hub/api``), with an API token.

Standard library only. Every failure is a :class:`HubError` that names the request, the
status and the hub's own message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 30


class HubError(Exception):
    """A hub API request that failed; the message names the request and the hub's answer."""


class HubClient:
    """Calls to ``{api_url}/...`` with ``Authorization: token ...``.

    >>> HubClient("http://127.0.0.1:8081/hub/api/", "secret").url("users", "ek1+x")
    'http://127.0.0.1:8081/hub/api/users/ek1%2Bx'
    """

    def __init__(self, api_url: str, token: str):
        if not api_url:
            raise HubError("no hub API URL; pass --hub-url, e.g. http://127.0.0.1:8081/hub/api")
        if not token:
            raise HubError("no API token; set JUPYTERHUB_API_TOKEN (the roster-sync service's token)")
        self.api_url = api_url.rstrip("/")
        if not self.api_url.endswith("/hub/api"):
            self.api_url = self.api_url.removesuffix("/hub") + "/hub/api"
        self.token = token

    def url(self, *parts: str) -> str:
        return "/".join([self.api_url, *(urllib.parse.quote(p, safe="") for p in parts)])

    def request(self, method: str, *parts: str, body=None, query: dict | None = None):
        url = self.url(*parts) + ("?" + urllib.parse.urlencode(query) if query else "")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"token {self.token}", "Content-Type": "application/json",
            "Accept": "application/jupyterhub-pagination+json, application/json",
        })
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                text = response.read().decode() or "null"
        except urllib.error.HTTPError as exc:
            raise HubError(f"{method} {url}: HTTP {exc.code}: {_hub_message(exc)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise HubError(f"{method} {url}: the hub does not answer ({getattr(exc, 'reason', exc)}); "
                           "is it running, and is the URL its API URL (…/hub/api)?") from exc
        return json.loads(text)

    def paged(self, *parts: str) -> list[dict]:
        """Every item of a paginated list (``/users``, ``/groups``)."""
        items, offset = [], 0
        while True:
            page = self.request("GET", *parts, query={"offset": offset, "limit": 200})
            if isinstance(page, list):  # a hub without pagination
                return page
            items += page["items"]
            following = (page.get("_pagination") or {}).get("next")
            if not following:
                return items
            offset = following["offset"]

    def users(self) -> dict[str, set[str]]:
        """Hub username -> the groups the user is in."""
        return {u["name"]: set(u.get("groups") or []) for u in self.paged("users")}

    def groups(self) -> set[str]:
        return {g["name"] for g in self.paged("groups")}


def _hub_message(exc: urllib.error.HTTPError) -> str:
    try:
        return json.loads(exc.read().decode()).get("message") or exc.reason
    except (ValueError, AttributeError):
        return str(exc.reason)
