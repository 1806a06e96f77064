"""``ethicskit hub roster-sync``: the roster's people as hub users, in the course's groups.

The roster (``ethicskit roster import``) is the source of truth for learners; the staff
lists given to the command are the source of truth for facilitators and managers.

- every active learner gets a hub user named by their pseudonymous learner id, in
  ``nbgrader-<course>`` (nbgrader's group of a course's students);
- learners who left (inactive) leave the group, so nbgrader no longer lets them fetch or
  submit; ``delete_inactive`` also removes their hub user (their files and grades stay);
- facilitators are set as ``formgrade-<course>`` (formgrader and dashboard), managers as
  ``dashboard-<course>`` (dashboard only); a staff group is left alone unless a list is given;
- a login map ``{email: learner id}`` lets learners sign in with their company login (the
  hub's config reads it) while the hub and the gradebook know only the learner id.

:func:`plan_sync` is pure; :func:`roster_sync` reads the roster and the hub, then applies.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ethicskit.course.errors import CourseError
from ethicskit.errors import MissingFile
from ethicskit.hub._client import HubClient, HubError

STAFF_ROLES = ("facilitator", "manager")
# Error texts: tests import the same constants.
MISSING_STAFF = "staff file {path} does not exist"
STAFF_NOT_UTF8 = "{name} cannot be read as UTF-8 ({error}); save it as 'CSV UTF-8'"
STAFF_COLUMNS = "{name} line 1: expected the columns username,role; found {found}"
STAFF_ROLE = "{name} line {line}: role {role!r} of {username!r}; the roles are: {roles}"


def course_groups(course: str) -> dict[str, str]:
    """The hub groups of a course, by role.

    >>> course_groups("ethicskit")["learner"]
    'nbgrader-ethicskit'
    """
    return {"learner": f"nbgrader-{course}", "facilitator": f"formgrade-{course}", "manager": f"dashboard-{course}"}


@dataclass
class SyncPlan:
    """What roster-sync changes on the hub; empty lists mean nothing to do."""

    create_groups: list[str] = field(default_factory=list)
    create_users: list[str] = field(default_factory=list)
    add: dict[str, list[str]] = field(default_factory=dict)
    remove: dict[str, list[str]] = field(default_factory=dict)
    delete_users: list[str] = field(default_factory=list)
    login_map: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (len(self.create_groups) + len(self.create_users) + len(self.delete_users)
                + sum(map(len, self.add.values())) + sum(map(len, self.remove.values())))

    def lines(self) -> list[str]:
        """One line per kind of change, for people."""
        out = [f"note: {n}" for n in self.notes]
        out += [f"create group {g}" for g in self.create_groups]
        if self.create_users:
            out.append(f"create {len(self.create_users)} user(s): {_names(self.create_users)}")
        out += [f"add {len(u)} to {g}: {_names(u)}" for g, u in self.add.items() if u]
        out += [f"remove {len(u)} from {g}: {_names(u)}" for g, u in self.remove.items() if u]
        if self.delete_users:
            out.append(f"delete {len(self.delete_users)} user(s) who left: {_names(self.delete_users)}")
        return out or ["the hub already matches the roster"]


def _names(names: list[str], shown: int = 8) -> str:
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def _hub_name(name: str) -> str:
    return name.strip().lower()


def plan_sync(learners: list[dict], hub_users: dict[str, set[str]], hub_groups: set[str], *, course: str,
              facilitators: list[str] | None = None, managers: list[str] | None = None,
              delete_inactive: bool = False) -> SyncPlan:
    """The changes that make the hub match the roster and the staff lists (pure).

    ``learners`` are roster rows (``learner_id``, ``email``, ``active``); ``hub_users`` maps hub
    usernames to their groups. ``None`` for a staff list leaves that group as it is.

    >>> plan = plan_sync([{"learner_id": "ek1", "email": "Ann@x.org", "active": 1}], {}, set(),
    ...                  course="c", facilitators=["fay"])
    >>> plan.create_users, plan.add["nbgrader-c"], plan.add["formgrade-c"], plan.login_map
    (['ek1', 'fay'], ['ek1'], ['fay'], {'ann@x.org': 'ek1'})
    """
    groups = course_groups(course)
    plan = SyncPlan(create_groups=sorted(set(groups.values()) - hub_groups))
    active = {r["learner_id"]: r for r in learners if r["active"]}
    inactive = {r["learner_id"] for r in learners if not r["active"]}
    wanted = {groups["learner"]: set(active)}
    staff: set[str] = set()
    for role, names in (("facilitator", facilitators), ("manager", managers)):
        if names is not None:
            wanted[groups[role]] = {_hub_name(n) for n in names if n.strip()}
            staff |= wanted[groups[role]]
    for group, members in wanted.items():
        current = {u for u, g in hub_users.items() if group in g}
        plan.add[group] = sorted(members - current)
        plan.remove[group] = sorted(current - members)
    plan.create_users = sorted(set().union(*wanted.values()) - set(hub_users))
    if delete_inactive:
        plan.delete_users = sorted((inactive & set(hub_users)) - staff)
        for group, names in plan.remove.items():
            plan.remove[group] = [n for n in names if n not in plan.delete_users]
    for learner_id, row in sorted(active.items()):
        login = _hub_name(row["email"])
        if login in staff:
            plan.notes.append(f"{login} is staff and also learner {learner_id}: they sign in as staff, so the "
                              f"learner account {learner_id} is not reachable by that login")
            continue
        plan.login_map[login] = learner_id
    return plan


def read_staff(path: Path) -> dict[str, list[str]]:
    """A staff CSV (``username,role``; role facilitator or manager) as role -> usernames."""
    path = Path(path)
    if not path.is_file():
        raise MissingFile(MISSING_STAFF.format(path=path))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CourseError(STAFF_NOT_UTF8.format(name=path.name, error=exc)) from exc
    found: dict[str, list[str]] = {role: [] for role in STAFF_ROLES}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or {"username", "role"} - {f.strip().lower() for f in reader.fieldnames}:
        raise CourseError(STAFF_COLUMNS.format(name=path.name, found=",".join(reader.fieldnames or [])))
    for row in reader:
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        role = row["role"].lower()
        if role not in STAFF_ROLES or not row["username"]:
            raise CourseError(STAFF_ROLE.format(name=path.name, line=reader.line_num, role=row["role"],
                                                username=row["username"], roles=", ".join(STAFF_ROLES)))
        found[role].append(row["username"])
    return found


def apply_plan(client: HubClient, plan: SyncPlan) -> None:
    """Make the changes on the hub, in an order that never leaves a group member without a user."""
    for group in plan.create_groups:
        client.request("POST", "groups", group)
    if plan.create_users:
        client.request("POST", "users", body={"usernames": plan.create_users})
    for group, names in plan.add.items():
        if names:
            client.request("POST", "groups", group, "users", body={"users": names})
    for group, names in plan.remove.items():
        if names:
            client.request("DELETE", "groups", group, "users", body={"users": names})
    for name in plan.delete_users:
        client.request("DELETE", "users", name)


def write_login_map(path: Path, mapping: dict[str, str]) -> None:
    """Write the login map atomically, readable by its owner only (it links emails to learner ids)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".login-map-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(mapping, fh, indent=1, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


@dataclass
class SyncResult:
    plan: SyncPlan
    applied: bool
    login_map: Path | None


def roster_sync(api_url: str, token: str, *, facilitators: list[str] | None = None,
                managers: list[str] | None = None, staff: Path | None = None, login_map: Path | None = None,
                delete_inactive: bool = False, dry_run: bool = False, root: Path | None = None) -> SyncResult:
    """Read the roster and the hub, plan, then (unless ``dry_run``) apply and write the login map."""
    from ethicskit.course import list_roster, load_config

    if staff is not None:
        listed = read_staff(staff)
        facilitators = [*(facilitators or []), *listed["facilitator"]]
        managers = [*(managers or []), *listed["manager"]]
    course = load_config(root).CourseDirectory.course_id
    learners = list_roster(include_inactive=True, root=root)
    client = HubClient(api_url, token)
    plan = plan_sync(learners, client.users(), client.groups(), course=course, facilitators=facilitators or None,
                     managers=managers or None, delete_inactive=delete_inactive)
    if dry_run:
        return SyncResult(plan, False, None)
    apply_plan(client, plan)
    if login_map is not None:
        write_login_map(login_map, plan.login_map)
    return SyncResult(plan, True, login_map)


__all__ = ["HubError", "SyncPlan", "SyncResult", "apply_plan", "course_groups", "plan_sync", "read_staff",
           "roster_sync", "write_login_map"]
