"""nbgrader's ``Execute`` preprocessor, hardened for learner code.

:class:`GradedExecute` replaces ``Execute`` in autograde. Besides running each
kernel in the sandbox (:class:`~ethicskit.course.grading.sandbox.SandboxKernelManager`)
it:

- caps each cell's output at ``output_limit`` bytes, so a 200 MB print is
  neither stored in ``autograded/`` nor rendered into feedback;
- recovers from a cell that ignores interruption (a loop that catches
  ``KeyboardInterrupt`` or ignores SIGINT) or kills its kernel: the kernel is
  restarted, the cells before it are run again, the cell scores 0 with a
  message and the rest of the notebook is graded;
- after each answer cell, exports the answer variables as plain JSON data
  (numbers, strings, lists, dicts; DataFrames through ``to_json``), for the
  clean re-check in a fresh kernel (:mod:`ethicskit.course.grading.recheck`).
"""

from __future__ import annotations

import json

import nbformat
from jupyter_core.utils import run_sync
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from ethicskit.course.grading.answer_cells import (
    BUILTIN_NAMES,
    assigned_names,
    loaded_names,
)
from ethicskit.course.grading.grade import STUCK_ENAME

OUTPUT_LIMIT = 1_000_000
EXPORT_MARKER = "__ethicskit_export__:"
STUCK_MESSAGE = ("this cell ignored the request to stop after the time limit, so its kernel was restarted and the "
                 "cells before it were run again; it scores 0. Look for a loop that catches KeyboardInterrupt.")
DIED_ENAME = "KernelDiedError"
DIED_MESSAGE = ("the kernel stopped while running this cell (the memory or process limit of grading, or an exit); "
                "it was restarted and the cells before it run again; this cell scores 0.")
CAPPED_MESSAGE = "\n[output cut: this cell printed more than {limit:,} bytes, the grading limit]\n"
# Exported from the learner's kernel after each answer cell. Whatever it prints is only data, decoded and
# checked in a clean kernel, so a kernel that changes it can only lose its own points.
EXPORT_CODE = '''
def __ek_export(names, ns):
    import json, sys
    def plain(v, depth=0):
        if depth > 20:
            raise TypeError("nested too deeply")
        if v is None or isinstance(v, bool):
            return v if v is None else bool(v)
        if type(v).__module__ == "numpy" and hasattr(v, "item") and getattr(v, "ndim", 1) == 0:
            v = v.item()
        for kind in (int, float, str):
            if isinstance(v, kind):
                return kind(v)
        if isinstance(v, list):
            return [plain(x, depth + 1) for x in v]
        if isinstance(v, tuple):
            return {"__ek__": "tuple", "items": [plain(x, depth + 1) for x in v]}
        if isinstance(v, (set, frozenset)):
            return {"__ek__": "set", "items": [plain(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            return {"__ek__": "dict", "items": [[plain(k, depth + 1), plain(x, depth + 1)] for k, x in v.items()]}
        pd = sys.modules.get("pandas")
        if pd is not None and type(v) in (pd.DataFrame, pd.Series):
            return {"__ek__": type(v).__name__, "json": v.to_json(orient="split", date_format="iso")}
        raise TypeError(f"a {type(v).__name__} cannot be exported as plain data")
    out = {}
    for name in names:
        if name in ns:
            try:
                value = plain(ns[name])
                if len(json.dumps(value)) > 400_000:
                    raise TypeError("too large to export (over 400 kB as JSON)")
                out[name] = {"value": value}
            except Exception as exc:
                out[name] = {"error": str(exc)[:200]}
    sys.stdout.write("MARKER" + json.dumps(out) + "\\n")
    sys.stdout.flush()
__ek_export(NAMES, globals())
del __ek_export
'''.replace("MARKER", EXPORT_MARKER)

# Exports of the notebooks graded in this process, by notebook name (read by the re-check).
EXPORTS: dict[str, dict[str, dict]] = {}


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer_cell(cell) -> bool:
    meta = _meta(cell)
    return cell.cell_type == "code" and bool(meta.get("solution")) and not meta.get("grade")


def answer_names(nb) -> dict[str, list[str]]:
    """For each answer cell (by grade_id), the names to export: what its tests read (else what it binds)."""
    found: dict[str, set[str]] = {}
    binds: dict[str, set[str]] = {}
    current = None
    given = set(BUILTIN_NAMES)
    for cell in nb.cells:
        if cell.cell_type == "code" and not is_answer_cell(cell):
            given |= assigned_names(cell.source)
    for cell in nb.cells:
        meta = _meta(cell)
        if is_answer_cell(cell) and meta.get("grade_id"):
            current = meta["grade_id"]
            binds[current] = assigned_names(cell.source)
            found[current] = set()
        elif current and cell.cell_type == "code" and meta.get("grade"):
            found[current] |= loaded_names(cell.source) - assigned_names(cell.source)
    return {grade_id: sorted(n for n in (names or binds[grade_id]) if n not in given)
            for grade_id, names in found.items()}


def _error(ename: str, evalue: str):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class GradedExecute(Execute):
    """``Execute`` with an output cap, recovery from stuck or dead kernels, and answer export."""

    output_limit = Integer(OUTPUT_LIMIT, help="bytes of output kept per cell").tag(config=True)
    responsive_timeout = Integer(5, help="seconds a kernel has to answer after an interrupt").tag(config=True)
    sandboxed = Bool(True, help="run kernels in the grading sandbox (bubblewrap)").tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.sandboxed:
            from ethicskit.course.grading.sandbox import SandboxKernelManager

            self.kernel_manager_class = SandboxKernelManager

    def preprocess(self, nb, resources=None, km=None):
        self._names = answer_names(nb)
        self._exports: dict[str, dict] = {}
        self._skip: set[int] = set()
        self._used = 0
        nb, resources = super().preprocess(nb, resources, km)
        EXPORTS[(resources or {}).get("unique_key", "")] = self._exports
        return nb, resources

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values()) \
            + sum(len(line) for line in content.get("traceback", []))
        if self._used + size > self.output_limit:
            if self._used <= self.output_limit:
                outs.append(nbformat.v4.new_output("stream", name="stdout",
                                                   text=CAPPED_MESSAGE.format(limit=self.output_limit)))
            self._used = self.output_limit + 1
            return None
        self._used += size
        return super().output(outs, msg, display_id, cell_index)

    def preprocess_cell(self, cell, resources, index):
        self._used = 0
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except Exception as exc:  # noqa: BLE001 - a dead or garbled kernel (e.g. an invalid message signature)
            self.log.warning("cell %s broke its kernel: %s: %s", index, type(exc).__name__, exc)
            stuck = isinstance(exc, TimeoutError)  # nbclient's CellTimeoutError: no reply even after the interrupt
            cell.outputs.append(_error(STUCK_ENAME, STUCK_MESSAGE) if stuck else _error(DIED_ENAME, DIED_MESSAGE))
            self._recover(index)
            return cell, resources
        if any(o.get("output_type") == "error" and o.get("ename") == self.error_on_timeout.get("ename")
               for o in cell.get("outputs", [])) and not self._responsive(index):
            cell.outputs.append(_error(STUCK_ENAME, STUCK_MESSAGE))
            self._recover(index)
        grade_id = _meta(cell).get("grade_id")
        if is_answer_cell(cell) and grade_id in self._names:
            self._exports[grade_id] = self._export(self._names[grade_id], index)
        return cell, resources

    def _run_quietly(self, source: str, index: int, timeout: int | None = None):
        cell = nbformat.v4.new_code_cell(source)
        saved, original = self.timeout, self.nb.cells[index]
        self.timeout = timeout or saved
        try:
            self.execute_cell(cell, index, store_history=False)
        finally:  # nbclient stores the cell it ran at its index; put the notebook's own back
            self.timeout, self.nb.cells[index] = saved, original
        return cell

    def _responsive(self, index: int) -> bool:
        from nbclient.exceptions import DeadKernelError

        try:
            probe = self._run_quietly("pass", index, timeout=self.responsive_timeout)
        except DeadKernelError:
            return False
        return not any(o.get("output_type") == "error" for o in probe.outputs)

    def _recover(self, index: int) -> None:
        """Restart the kernel and run the cells before ``index`` again (not those that broke it)."""
        from nbclient.exceptions import DeadKernelError

        self._skip.add(index)
        self.log.warning("restarting the kernel after cell %s and re-running the cells before it", index)
        run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        for i, cell in enumerate(self.nb.cells[:index]):
            if cell.cell_type == "code" and i not in self._skip and cell.source.strip():
                self._used = 0
                try:
                    self._run_quietly(cell.source, i)
                except DeadKernelError:
                    self._skip.add(i)
                    run_sync(self.km.restart_kernel)(now=True)
                    run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)

    def _export(self, names: list[str], index: int) -> dict:
        from nbclient.exceptions import DeadKernelError

        if not names:
            return {}
        self._used = 0
        try:
            cell = self._run_quietly(EXPORT_CODE.replace("NAMES", repr(names)), index)
        except DeadKernelError:
            return {n: {"error": "the kernel stopped while its answers were exported"} for n in names}
        text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
        line = next((ln for ln in text.splitlines() if ln.startswith(EXPORT_MARKER)), None)
        try:
            data = json.loads(line[len(EXPORT_MARKER):]) if line else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return {n: {"error": "the answers could not be exported from the kernel"} for n in names}
        return data
