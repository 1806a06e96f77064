"""The assessment rules of the integrity gate: a pass must mean competence (DESIGN.md section 4).

Pure functions over notebooks (``nbformat`` nodes), so each rule can be shown to catch a leak planted in a
hand-built notebook. ``ethicskit check`` feeds them the solution (nbgrader's source), the generated
release and the executed lesson. Every problem names the module's notebook, the cell and its grade_id.

The answer values are read from the solution, never from a list kept by hand: the core's answers are
literals, read with ``ast`` without running anything; computed answers (the analyst extension) are taken
from a run of the solution (:func:`probe_values`).
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

KINDS = ("judgment", "interpretation", "recall", "computation")
JUDGMENT_SHARE = 0.7
OUTCOMES = ("proceed", "proceed_with_safeguards", "escalate", "stop", "go", "go_with_safeguards")
PROCEEDS = ("proceed", "proceed_with_safeguards", "go", "go_with_safeguards")
MIN_OPTIONS = {"single": 4, "set": 5}
LONGEST_SHARE = 1 / 3
MIN_BUSINESS_COSTS = 3
PROCEED_SHARE = 1 / 3
ANALYST_SUFFIX = "-analyst"
KEY_MARKERS = ("sha256", "hexdigest", "md5(", "HASHED AUTOTEST", "### AUTOTEST")
EXEMPLAR_MARKERS = ("strong answer", "weak answer", "exemplar", "model answer", "mark scheme")
_OPTION = re.compile(r"^\s*[-*]\s+\*\*([a-z])\.\*\*\s+(.+?)\s*$", re.MULTILINE)

NOT_LITERAL = "{where}: the core's answers are values the learner types; line {line} is not a literal assignment: {code!r}"
NO_KIND = "{where}: graded cell has no metadata ethicskit.kind (one of {kinds})"
LOW_JUDGMENT = ("{notebook}: judgment and interpretation are {share:.0%} of the core's {points:g} points; "
                "at least {target:.0%} ({by_kind})")
NO_WRITTEN = ("{notebook}: the core has no written answer, so it could be passed on autograded points alone "
              "(the pass rule needs every written answer at half its points or more)")
ANSWER_KEY = "{where}: released cell holds an answer key ({what})"
VALUE_LEAK = "{where}: shows {form!r}, the answer to {item} ({name} = {value!r})"
EXEMPLAR = "{where}: released cell shows facilitator-only rubric text ({marker!r}); put it between the mark-scheme markers"
FEW_OPTIONS = "{where}: a {mode}-answer item needs at least {need} options, found {found}"
LENGTH_BIAS = ("the right option is the longest in {count} of {total} single-answer items ({share:.0%}); "
               "at most {limit:.0%}: {items}")
SAME_LETTER = "the right option is {letter!r} in {count} of {total} single-answer items; vary its position"
FEW_PROCEEDS = ("{count} of {total} graded decision outcomes are proceed or proceed with safeguards ({share:.0%}); "
                "at least {target:.0%}: {outcomes}")
FEW_COSTS = "{count} cases state a business cost of the responsible choice; at least {target}"
ONE_GROUP = "{group} is the disadvantaged group in {count} of {total} modules that have one; at most half"
BAD_COST_CELL = "{notebook}: ethicskit.business_cost names {grade_id!r}, which is not a cell with a figure in it"


@dataclass
class Item:
    """One graded item of a notebook: its test (or written) cell, its answer cell and its question."""

    grade_id: str
    notebook: str
    track: str
    points: float
    kind: str | None
    written: bool
    answer_source: str = ""
    question: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def options(self) -> dict[str, str]:
        return dict(_OPTION.findall(self.question))

    @property
    def where(self) -> str:
        return f"{self.notebook} [{self.grade_id}]"


def track_of(notebook_name: str) -> str:
    return "analyst" if notebook_name.removesuffix(".ipynb").endswith(ANALYST_SUFFIX) else "core"


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def solution_region(source: str) -> str:
    """The lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (all of it when unmarked)."""
    lines, inside, found = [], False, False
    for line in source.splitlines():
        if "BEGIN SOLUTION" in line:
            inside = found = True
        elif "END SOLUTION" in line:
            inside = False
        elif inside:
            lines.append(line)
    return "\n".join(lines) if found else source


def literal_assignments(code: str) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """Names assigned literal values in ``code``, and the (line, text) of every statement that is not one.

    >>> answers, others = literal_assignments('q1 = "b"  # my choice\\nq2 = {"a", "c"}\\nq3 = len(x)')
    >>> answers == {"q1": "b", "q2": {"a", "c"}}, others
    (True, [(3, 'q3 = len(x)')])
    """
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return {}, [(exc.lineno or 0, (exc.text or "").strip())]
    values, problems = {}, []
    lines = code.splitlines()
    for node in tree.body:
        try:
            if not (isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets)):
                raise ValueError
            value = ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            problems.append((node.lineno, lines[node.lineno - 1].strip()))
            continue
        for target in node.targets:
            values[target.id] = value
    return values, problems


def read_items(nb, notebook: str) -> list[Item]:
    """Every graded item of a solution notebook, with its answer cell's source and its question's text."""
    cells = nb["cells"]
    answers = {_meta(c).get("grade_id"): c for c in cells if _meta(c).get("solution") and not _meta(c).get("grade")}
    items, question = [], ""
    for cell in cells:
        meta = _meta(cell)
        grade_id = meta.get("grade_id", "")
        if cell.get("cell_type") == "markdown" and not meta.get("grade") and "-info-q" in grade_id:
            question = _source(cell)
        if not meta.get("grade"):
            continue
        written = bool(meta.get("solution")) or bool(meta.get("task"))
        answer = cell if written else answers.get(f"{grade_id}-answer")
        kind = cell.get("metadata", {}).get("ethicskit", {}).get("kind")
        items.append(Item(grade_id, notebook, track_of(notebook), float(meta.get("points", 0) or 0), kind, written,
                          _source(answer) if answer is not None and answer.get("cell_type") == "code" else "",
                          question))
    return items


def rule_core_literals(items: Iterable[Item]) -> list[str]:
    """The core's code answers are literal values: readable, typed by a non-coder, and checkable without running."""
    problems = []
    for item in items:
        if item.track != "core" or not item.answer_source:
            continue
        values, bad = literal_assignments(solution_region(item.answer_source))
        item.values = values
        problems += [NOT_LITERAL.format(where=f"{item.where}-answer", line=line, code=code) for line, code in bad]
    return problems


def rule_kinds(items: list[Item]) -> list[str]:
    problems = [NO_KIND.format(where=i.where, kinds=", ".join(KINDS)) for i in items if i.kind not in KINDS]
    core = [i for i in items if i.track == "core"]
    points = sum(i.points for i in core)
    by_kind = points_by_kind(core)
    share = (by_kind.get("judgment", 0) + by_kind.get("interpretation", 0)) / points if points else 0.0
    if core and share < JUDGMENT_SHARE - 1e-9:
        problems.append(LOW_JUDGMENT.format(notebook=core[0].notebook, share=share, points=points,
                                            target=JUDGMENT_SHARE, by_kind=by_kind))
    return problems


def points_by_kind(items: Iterable[Item]) -> dict[str, float]:
    counts: Counter = Counter()
    for item in items:
        counts[item.kind or "none"] += item.points
    return dict(counts)


def rule_written(items: list[Item], core_notebook: str) -> list[str]:
    """A module can never be passed on autograded points alone: its core has a written answer."""
    return [] if any(i.written and i.track == "core" for i in items) else [NO_WRITTEN.format(notebook=core_notebook)]


_QUOTED = re.compile(r"""(?:'([^'\n]*)'|"([^"\n]*)")""")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, (set, frozenset, list, tuple)):
        return frozenset(_normal(v) for v in value)
    return value


def compares_with_answer(line: str, name: str, value: Any) -> bool:
    """Does this code line compare the answer variable with the answer itself (an answer key)?

    >>> compares_with_answer('assert q6 == "stop"', "q6", "stop")
    True
    >>> compares_with_answer('assert q6.strip() in {"proceed", "stop"}', "q6", "stop")
    False
    >>> compares_with_answer("assert set(q7) == {'a', 'c'}", "q7", {"c", "a"})
    True
    """
    if not re.search(rf"\b{re.escape(name)}\b", line) or not re.search(r"==|!=", line):
        return False
    quoted = {_normal(a or b) for a, b in _QUOTED.findall(line)}
    wanted = _normal(value)
    if isinstance(wanted, frozenset):
        return bool(wanted) and wanted <= quoted and len(quoted) <= len(wanted) + 1
    if isinstance(wanted, str):
        return wanted in quoted
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return any(math.isclose(float(n), float(value), rel_tol=1e-9, abs_tol=1e-12) for n in _NUMBER.findall(line))
    return False


def rule_no_answer_key(release, items: list[Item], notebook: str) -> list[str]:
    """No released cell holds a hash of an answer, an autotest, or a comparison with the answer itself."""
    problems = []
    for index, cell in enumerate(release["cells"]):
        text = _source(cell)
        where = f"{notebook} [cell {index} {_meta(cell).get('grade_id', '')}]".replace(" ]", "]")
        for marker in KEY_MARKERS:
            if marker.lower() in text.lower():
                problems.append(ANSWER_KEY.format(where=where, what=marker))
        if cell.get("cell_type") == "code":
            for line in text.splitlines():
                for item in items:
                    for name, value in item.values.items():
                        if compares_with_answer(line, name, value):
                            problems.append(ANSWER_KEY.format(where=where, what=f"{name} compared with its answer"))
    return problems


def _significant(text: str) -> int:
    return len(re.sub(r"[^0-9]", "", text).strip("0"))


def value_forms(value: Any) -> set[str]:
    """How a reader would recognise a number in text: as written, with thousands separators, at the
    precision asked, or as a percentage. Numbers too common to tell apart (under 100, one significant
    digit) are left out.

    >>> sorted(value_forms(3155))
    ['3 155', '3,155', '3155', '3\\u202f155']
    >>> sorted(value_forms(0.714))
    ['0.71', '0.714', '71%', '71.4%']
    >>> value_forms(0.8), value_forms(12), value_forms(True)
    (set(), set(), set())
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        return set()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if abs(value) < 100 or _significant(str(value)) < 2:
            return set()
        grouped = f"{value:,}"
        return {str(value), grouped, grouped.replace(",", " "), grouped.replace(",", "\u202f")}
    forms = {f"{value:.{p}f}" for p in (1, 2, 3)} | {repr(round(value, 4))}
    if 0 < abs(value) <= 1:
        forms |= {f"{100 * value:.{p}f}%" for p in (0, 1)}
    return {f for f in forms if _significant(f) >= 2 and float(f.rstrip("%")) != 0}


def _leak_pattern(form: str) -> re.Pattern:
    body = re.escape(form).replace("%", r"\s?%")
    return re.compile(rf"(?<![\d.,]){body}(?![\d]|[.,]\d)")


def rule_no_values(texts: Iterable[tuple[str, str]], items: list[Item], *, tracks=("core", "analyst")) -> list[str]:
    """No answer value appears in ``texts`` ((where, text) pairs) in a form a reader would recognise."""
    wanted = [(item, name, value, form) for item in items if item.track in tracks
              for name, value in item.values.items() for form in sorted(value_forms(value))]
    patterns = [(item, name, value, form, _leak_pattern(form)) for item, name, value, form in wanted]
    problems = []
    for where, text in texts:
        for item, name, value, form, pattern in patterns:
            if pattern.search(text):
                problems.append(VALUE_LEAK.format(where=where, form=form, item=item.grade_id, name=name, value=value))
    return problems


def rule_rubrics(release, notebook: str) -> list[str]:
    """A released rubric shows criteria and points only; exemplars stay in the facilitator's view."""
    problems = []
    for index, cell in enumerate(release["cells"]):
        if cell.get("cell_type") != "markdown":
            continue
        text = _source(cell).lower()
        for marker in EXEMPLAR_MARKERS:
            if marker in text:
                grade_id = _meta(cell).get("grade_id", "")
                problems.append(EXEMPLAR.format(where=f"{notebook} [cell {index} {grade_id}]", marker=marker))
    return problems


def choice_mode(item: Item) -> str | None:
    """"single" or "set" for a multiple-choice item (its answer is an option letter, or a set of them)."""
    options = item.options
    if not options or item.written:
        return None
    for value in item.values.values():
        if isinstance(value, str) and value.strip().lower() in options:
            return "single"
        if isinstance(value, (set, frozenset, list, tuple)) and value and all(
                isinstance(v, str) and v.strip().lower() in options for v in value):
            return "set"
    return None


def rule_options(items: list[Item]) -> list[str]:
    problems = []
    for item in items:
        mode = choice_mode(item)
        if mode and len(item.options) < MIN_OPTIONS[mode]:
            problems.append(FEW_OPTIONS.format(where=item.where, mode=mode, need=MIN_OPTIONS[mode],
                                               found=len(item.options)))
    return problems


def correct_letter(item: Item) -> str | None:
    for value in item.values.values():
        if isinstance(value, str) and value.strip().lower() in item.options:
            return value.strip().lower()
    return None


def choice_facts(items: Iterable[Item]) -> list[dict]:
    """Each multiple-choice item: its mode, the right letter (single answers) and the length of each option."""
    facts = []
    for item in items:
        mode = choice_mode(item)
        if mode:
            facts.append({"grade_id": item.grade_id, "mode": mode, "letter": correct_letter(item),
                          "lengths": {k: len(v) for k, v in item.options.items()}})
    return facts


def course_choice_rules(choices: list[dict]) -> list[str]:
    """Across the course: the right option is seldom the longest, and its letter varies."""
    singles = [c for c in choices if c["mode"] == "single"]
    if not singles:
        return []
    longest = [c["grade_id"] for c in singles
               if c["lengths"][c["letter"]] == max(c["lengths"].values())
               and list(c["lengths"].values()).count(c["lengths"][c["letter"]]) == 1]
    problems = []
    if len(longest) > LONGEST_SHARE * len(singles) + 1e-9:
        problems.append(LENGTH_BIAS.format(count=len(longest), total=len(singles), share=len(longest) / len(singles),
                                           limit=LONGEST_SHARE, items=", ".join(longest)))
    letter, count = Counter(c["letter"] for c in singles).most_common(1)[0]
    if len(singles) >= 4 and count > len(singles) / 2:
        problems.append(SAME_LETTER.format(letter=letter, count=count, total=len(singles)))
    return problems


def decision_outcomes(items: Iterable[Item]) -> list[str]:
    return [str(v).strip().lower() for i in items if i.track == "core" for v in i.values.values()
            if isinstance(v, str) and v.strip().lower() in OUTCOMES]


def business_costs(nb_metadata: dict, cells_by_id: dict[str, str], notebook: str) -> tuple[list[str], list[str]]:
    """The cells the notebook names as stating a business cost, and problems with them."""
    named = list(nb_metadata.get("ethicskit", {}).get("business_cost", []) or [])
    bad = [BAD_COST_CELL.format(notebook=notebook, grade_id=g) for g in named
           if not re.search(r"\d", cells_by_id.get(g, ""))]
    return named, bad


def course_balance_rules(facts: list[dict]) -> list[str]:
    """Across the course: proceed outcomes, stated business costs, and no one group always disadvantaged."""
    problems = []
    outcomes = [o for f in facts for o in f["decision_outcomes"]]
    proceeds = [o for o in outcomes if o in PROCEEDS]
    if outcomes and len(proceeds) < PROCEED_SHARE * len(outcomes) - 1e-9:
        problems.append(FEW_PROCEEDS.format(count=len(proceeds), total=len(outcomes), share=len(proceeds) / len(outcomes),
                                            target=PROCEED_SHARE, outcomes=dict(Counter(outcomes))))
    costs = sum(len(f["business_cost"]) > 0 for f in facts)
    if costs < MIN_BUSINESS_COSTS:
        problems.append(FEW_COSTS.format(count=costs, target=MIN_BUSINESS_COSTS))
    groups = Counter(f["disadvantaged_group"] for f in facts if f["disadvantaged_group"])
    total = sum(groups.values())
    for group, count in groups.items():
        if count > total / 2:
            problems.append(ONE_GROUP.format(group=group, count=count, total=total))
    return problems


def notebook_text(nb, *, outputs: bool = False) -> str:
    """All of a notebook's cell sources (and, with ``outputs``, the text of its outputs)."""
    parts = []
    for cell in nb["cells"]:
        parts.append(_source(cell))
        if outputs:
            for out in cell.get("outputs", []):
                parts.append("".join(out.get("text", "")) if "text" in out else "")
                for mime, data in (out.get("data") or {}).items():
                    if mime.startswith("text/"):
                        parts.append("".join(data) if isinstance(data, list) else str(data))
    return "\n".join(parts)


PROBE_MARK = "@@ethicskit-values@@"
_PROBE = """
def __ek_plain(v):
    import numbers
    if isinstance(v, (str, bool)) or v is None: return v
    if hasattr(v, "item") and getattr(v, "shape", None) == (): v = v.item()
    if isinstance(v, bool): return v
    if isinstance(v, numbers.Integral): return int(v)
    if isinstance(v, numbers.Real): return float(v)
    if isinstance(v, (set, frozenset, list, tuple)): return sorted(str(x) for x in v)
    return None
print({mark!r} + __import__("json").dumps({{n: __ek_plain(globals().get(n)) for n in {names!r}}}))
"""


def probe_values(nb, names_by_answer: dict[str, list[str]], *, path: str, timeout: int = 120) -> dict[str, dict]:
    """Run a solution notebook with a probe after each answer cell; return grade_id -> {name: value}.

    Used for computed answers (the analyst extension), whose values are not literals.
    """
    import copy

    import nbformat
    from nbclient import NotebookClient

    probed = copy.deepcopy(nb)
    cells = []
    for cell in probed["cells"]:
        cells.append(cell)
        grade_id = _meta(cell).get("grade_id", "")
        if grade_id in names_by_answer:
            code = _PROBE.format(mark=PROBE_MARK, names=names_by_answer[grade_id])
            probe = nbformat.v4.new_code_cell(code)
            probe.metadata["ethicskit_probe"] = grade_id
            cells.append(probe)
    probed["cells"] = cells
    probed = nbformat.from_dict(probed)
    NotebookClient(probed, timeout=timeout, kernel_name="python3", allow_errors=True, shutdown_kernel="immediate",
                   resources={"metadata": {"path": path}}).execute()
    found = {}
    for cell in probed.cells:
        grade_id = cell.metadata.get("ethicskit_probe")
        for out in cell.get("outputs", []) if grade_id else []:
            for line in "".join(out.get("text", "")).splitlines():
                if line.startswith(PROBE_MARK):
                    found[grade_id] = json.loads(line[len(PROBE_MARK):])
    return found


def assigned_names(code: str) -> list[str]:
    """Names a (solution) code cell assigns at top level: the answer variables."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        names += [t.id for t in targets if isinstance(t, ast.Name) and not t.id.startswith("_")]
    return list(dict.fromkeys(names))
