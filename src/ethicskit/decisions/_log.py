"""The decision log: an append-only JSON Lines file of decisions taken with a tree.

Each ``record`` appends one line with a single ``os.write`` on a file opened
with ``O_APPEND``, under an exclusive ``flock`` where the platform has it, so
concurrent writers (two notebooks, two processes) never interleave records.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from ethicskit.decisions._schema import OUTCOMES, Tree
from ethicskit.decisions._tree import _as_tree, walk

try:  # POSIX only; O_APPEND with one write is the fallback
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

UNFINISHED = ("answers {answers} stop at question {node!r} of tree {tree!r}; "
              "a decision needs answers that reach an outcome")
BAD_FIELD = "{name} must be non-empty text, found {found!r} (type {kind})"
BAD_WHEN = "when must be a datetime or None, found {found!r} (type {kind})"
CORRUPT_LINE = "{path}, line {line}: not a decision record ({error})"
RECORD_FIELDS = ("id", "when", "tree", "version", "answers", "leaf", "outcome", "author", "rationale")


@dataclass(frozen=True)
class Decision:
    """One recorded decision. ``when`` is ISO 8601 text (UTC unless given otherwise)."""

    id: str
    when: str
    tree: str
    version: str
    answers: tuple[str, ...]
    leaf: str
    outcome: str
    author: str
    rationale: str

    def to_json(self) -> str:
        data = asdict(self)
        data["answers"] = list(self.answers)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> Decision:
        data = json.loads(line)
        if not isinstance(data, dict) or set(data) != set(RECORD_FIELDS):
            raise ValueError(f"expected the keys {list(RECORD_FIELDS)}")
        data["answers"] = tuple(data["answers"])
        return cls(**data)


def _text(value, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(BAD_FIELD.format(name=name, found=value, kind=type(value).__name__))
    return value.strip()


def _append_line(path: Path, line: str) -> None:
    data = line.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(data)
        while view:  # one write in practice; loop only if the OS writes less
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)  # also releases the lock


class DecisionLog:
    """An append-only log of decisions in a JSON Lines file.

    >>> import tempfile, pathlib
    >>> log = DecisionLog(pathlib.Path(tempfile.mkdtemp()) / "decisions.jsonl")
    >>> decision = log.record("use_of_feature", ["no", "no", "strong_proxy", "not_necessary"],
    ...                       author="analyst@example.com", rationale="lifestyle_affinity tracks gender")
    >>> decision.outcome
    'stop'
    >>> len(log.load())
    1
    >>> log.summary().loc["use_of_feature", "stop"]
    np.int64(1)
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"DecisionLog({str(self.path)!r})"

    def record(self, tree: Tree | str, answers: list[str], *, author: str, rationale: str,
               when: datetime | None = None) -> Decision:
        """Walk ``tree`` with ``answers`` and append the decision; return it.

        The answers must reach an outcome. ``when`` defaults to now (UTC).
        """
        tree = _as_tree(tree)
        result = walk(tree, answers)
        if result.outcome is None:
            raise ValueError(UNFINISHED.format(answers=list(answers), node=result.current, tree=tree.id))
        if when is None:
            when = datetime.now(UTC)
        if not isinstance(when, datetime):
            raise TypeError(BAD_WHEN.format(found=when, kind=type(when).__name__))
        decision = Decision(
            id=uuid.uuid4().hex,
            when=when.isoformat(timespec="seconds"),
            tree=tree.id,
            version=tree.version,
            answers=tuple(result.answers),
            leaf=result.outcome.id,
            outcome=result.outcome.outcome,
            author=_text(author, "author"),
            rationale=_text(rationale, "rationale"),
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _append_line(self.path, decision.to_json() + "\n")
        return decision

    def load(self) -> list[Decision]:
        """All decisions, oldest first; ``[]`` if the file does not exist yet."""
        if not self.path.exists():
            return []
        decisions = []
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    decisions.append(Decision.from_json(line))
                except (ValueError, TypeError) as exc:
                    raise ValueError(CORRUPT_LINE.format(path=self.path, line=number, error=exc)) from exc
        return decisions

    def to_frame(self):
        """The log as a DataFrame: one row per decision, ``when`` as UTC-naive datetime."""
        import pandas as pd

        rows = [asdict(d) for d in self.load()]
        frame = pd.DataFrame(rows, columns=list(RECORD_FIELDS))
        frame["answers"] = [list(a) for a in frame["answers"]]
        when = pd.to_datetime(frame["when"], utc=True, format="ISO8601")
        frame["when"] = when.dt.tz_localize(None)
        frame["outcome"] = pd.Categorical(frame["outcome"], categories=list(OUTCOMES))
        return frame

    def summary(self):
        """Counts of decisions by tree (rows) and outcome (columns), with a total."""
        import pandas as pd

        frame = self.to_frame()
        columns = pd.Index(list(OUTCOMES), name="outcome")
        counts = pd.crosstab(frame["tree"].astype(object), frame["outcome"].astype(object))
        counts = counts.reindex(columns=columns, fill_value=0).astype("int64")
        counts.index = pd.Index([str(i) for i in counts.index], name="tree")
        counts["total"] = counts.sum(axis=1).astype("int64")
        return counts
