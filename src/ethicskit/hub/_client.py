"""A small client for JupyterHub's REST API (``/hub/api``), with an API token.

Standard library only. Every failure is a :class:`HubError` that names the request, the
status and the hub's own message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from ethicskit.errors import EthicskitError

TIMEOUT = 30
# Error texts: tests import the same constants.
NO_HUB_URL = "no hub API URL; pass --hub-url, e.g. http://127.0.0.1:8081/hub/api"
BAD_HUB_URL = "hub API URL {url!r} is not an http(s) URL; pass --hub-url, e.g. http://127.0.0.1:8081/hub/api"
NO_TOKEN = "no API token; set JUPYTERHUB_API_TOKEN (the roster-sync service's token)"
HTTP_FAILED = "{method} {url}: HTTP {code}: {message}"
NO_ANSWER = ("{method} {url}: the hub does not answer ({reason}); is it running, and is the URL its API URL "
             "(…/hub/api)?")
NOT_JSON = "{method} {url}: the answer is not JSON ({error}); is the URL the hub's API URL (…/hub/api)?"


class HubError(EthicskitError):
    """A hub that cannot be asked (no URL or token) or a request that failed.

    The message names the request and the hub's answer, and says what to check.
    """


class HubClient:
    """Calls to ``{api_url}/...`` with ``Authorization: token ...``.

    >>> HubClient("http://127.0.0.1:8081/hub/api/", "secret").url("users", "ek1+x")
    'http://127.0.0.1:8081/hub/api/users/ek1%2Bx'
    """

    def __init__(self, api_url: str, token: str):
        if not api_url:
            raise HubError(NO_HUB_URL)
        if urllib.parse.urlsplit(api_url).scheme not in ("http", "https"):
            raise HubError(BAD_HUB_URL.format(url=api_url))
        if not token:
            raise HubError(NO_TOKEN)
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
            message = _hub_message(exc)
            raise HubError(HTTP_FAILED.format(method=method, url=url, code=exc.code, message=message)) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise HubError(NO_ANSWER.format(method=method, url=url, reason=getattr(exc, "reason", exc))) from exc
        try:
            return json.loads(text)
        except ValueError as exc:  # a web page, not the hub's API
            raise HubError(NOT_JSON.format(method=method, url=url, error=exc)) from exc

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
