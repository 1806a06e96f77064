"""Read answer cells without running them: literal answers, answer names, and patching attempts.

Pure functions over cell sources (``ast`` only; nothing here executes
learner code). The clean re-check (:mod:`ethicskit.course.grading.recheck`) uses
them to rebuild a learner's answers in a fresh kernel, and the report flags
what :func:`patching_findings` finds.
"""

from __future__ import annotations

import ast
import builtins

BUILTIN_NAMES = frozenset(dir(builtins)) - {"__name__", "__doc__", "__package__", "__loader__", "__spec__"}
DYNAMIC_CALLS = frozenset({"setattr", "delattr", "exec", "eval", "compile", "__import__", "globals", "vars"})
_UNSET = object()


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _UNSET


def literal_answers(source: str) -> tuple[dict[str, object], list[str]]:
    """The top-level ``name = <literal>`` answers of a cell, and the names it assigns otherwise.

    The last assignment of a name wins, as it would when the cell runs.

    >>> literal_answers('q1 = "b"\\nq2 = {"a", "c"}\\nq3 = len(customers)') == ({"q1": "b", "q2": {"a", "c"}}, ["q3"])
    True
    >>> literal_answers("q1 = 'a'\\nq1 = pick()")
    ({}, ['q1'])
    """
    tree = _parse(source)
    values: dict[str, object] = {}
    computed: dict[str, None] = {}
    for stmt in tree.body if tree else []:
        targets, value = _assignment(stmt)
        for name in targets:
            literal = _literal(value) if value is not None and len(targets) == 1 else _UNSET
            if literal is _UNSET:
                values.pop(name, None)
                computed[name] = None
            else:
                values[name] = literal
                computed.pop(name, None)
    return values, list(computed)


def _assignment(stmt: ast.stmt) -> tuple[list[str], ast.AST | None]:
    if isinstance(stmt, ast.Assign):
        names = [n.id for t in stmt.targets for n in _names_in_target(t)]
        simple = len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
        return names, stmt.value if simple else None
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id], stmt.value
    if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id], None
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [stmt.name], None
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in stmt.names if a.name != "*"], None
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.If, ast.While, ast.Try)):
        inner = [n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
        return list(dict.fromkeys(inner)), None
    return [], None


def _names_in_target(target: ast.AST) -> list[ast.Name]:
    return [n for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def assigned_names(source: str) -> set[str]:
    """Every name a cell binds at top level (assignments, defs, imports)."""
    tree = _parse(source)
    return {name for stmt in (tree.body if tree else []) for name in _assignment(stmt)[0]}


def loaded_names(source: str) -> set[str]:
    """Every plain name a cell reads."""
    tree = _parse(source)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} if tree else set()


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def patching_findings(source: str, *, protected: set[str], label: str) -> list[str]:
    """Ways a cell could change what the checks see, named for the report.

    ``protected`` holds the names that setup and test cells define or read
    (``load``, ``customers``, ``pd``...). Flags: rebinding a builtin or a
    protected name, ``import builtins`` or ``__builtins__``, assigning an
    attribute of a module or a protected object (``hashlib.sha256 = ...``,
    ``pd.DataFrame.__eq__ = ...``, ``ethicskit.data.load = ...``), and the
    dynamic tools that do the same (``setattr``, ``exec``, ``globals()``...).

    >>> patching_findings("len = lambda x: 4", protected=set(), label="q1")
    ['q1: rebinds the builtin `len`']
    >>> patching_findings("import hashlib\\nhashlib.sha256 = None", protected=set(), label="q1")
    ['q1: assigns `hashlib.sha256`']
    >>> patching_findings("q1 = 'b'", protected={"load"}, label="q1")
    []
    """
    tree = _parse(source)
    if tree is None:
        return []
    modules = {name for stmt in ast.walk(tree) if isinstance(stmt, (ast.Import, ast.ImportFrom))
               for name in _assignment(stmt)[0]}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            if any(n and n.split(".")[0] == "builtins" for n in names):
                found.append(f"{label}: imports `builtins`")
        elif isinstance(node, ast.Name) and node.id == "__builtins__":
            found.append(f"{label}: uses `__builtins__`")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DYNAMIC_CALLS:
            found.append(f"{label}: calls `{node.func.id}()`")
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            root = _root_name(node)
            if root in modules or root in protected:
                found.append(f"{label}: assigns `{ast.unparse(node)}`")
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            if _root_name(node) in {"sys"} | (modules & {"sys"}):
                found.append(f"{label}: assigns `{ast.unparse(node)}`")
    for stmt in tree.body:
        for name in _assignment(stmt)[0]:
            if name in BUILTIN_NAMES and not isinstance(stmt, (ast.Import, ast.ImportFrom)):
                found.append(f"{label}: rebinds the builtin `{name}`")
            elif name in protected and name not in modules:
                found.append(f"{label}: redefines `{name}`, which the setup or test cells use")
    return list(dict.fromkeys(found))
