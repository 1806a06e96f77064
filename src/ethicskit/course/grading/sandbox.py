"""The grading sandbox: every kernel that runs learner code starts inside bubblewrap.

:class:`SandboxKernelManager` is a jupyter_client ``AsyncKernelManager`` whose
kernel command is wrapped in ``prlimit`` and ``bwrap`` (Debian's bubblewrap,
the sandbox behind Flatpak). nbgrader's ``Execute`` and nbclient take it as
their ``kernel_manager_class``. Inside, learner code:

- sees a root of its own: the system's ``/usr`` and ``/etc``, the Python
  environment and the kit's code, the practice datasets and the decision trees
  (all read-only), and a scratch copy of its own submission folder (writable,
  thrown away). ``course-data/`` (gradebook, ``roster.db``, other learners'
  submissions, the HR export), ``solutions/`` and ``/root`` are not there;
- runs as a uid of its own (not root, so the process limit holds), with no
  capabilities and ``no_new_privs``;
- has no network (a network namespace of its own: the kernel talks to the
  grader over IPC sockets in a private folder), a private ``/tmp``, its own
  pid namespace, and dies with the grader (``--die-with-parent``); when the
  kernel stops, every process it started is killed with its namespace;
- has a memory limit (``RLIMIT_AS``), a process limit (``RLIMIT_NPROC``) and a
  file-size limit (``RLIMIT_FSIZE``); output is capped by the grader
  (:mod:`ethicskit.course.grading.graded_execute`).

Where bubblewrap cannot start, :func:`sandbox_problem` says what is missing and
how to install it; grading refuses to run unless the manager asks for
``--unsafe-no-sandbox``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer

INSTALL_COMMAND = "apt-get install bubblewrap"
TOOLS = {"bwrap": "bubblewrap", "prlimit": "util-linux", "setpriv": "util-linux"}
MEMORY_LIMIT = 4 * 1024**3
PROCESS_LIMIT = 256
FILE_SIZE_LIMIT = 256 * 1024**2
SANDBOX_UID_BASE = 200_000
COURSE_ROOT_INSIDE = "/ek-course"
UNSAFE_WARNING = ("WARNING: grading WITHOUT the sandbox (--unsafe-no-sandbox). Learner code runs with your rights: "
                  "it can read the roster and the gradebook, change grades and reach the network.")


def _tool_paths() -> dict[str, str | None]:
    return {tool: shutil.which(tool) for tool in TOOLS}


def _readonly_paths() -> list[Path]:
    """What the kernel needs to see: the Python environment and the kit's code."""
    import ethicskit

    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(ethicskit.__file__).resolve().parents[1]}
    return sorted(p for p in paths if p.is_dir() and p != Path("/"))


def _course_paths() -> dict[str, Path]:
    """The practice datasets and decision trees, bound under the sandbox's own course root."""
    from ethicskit.paths import datasets_dir, decision_trees_dir, project_root

    try:
        root = project_root()
    except FileNotFoundError:
        root = None
    found = {"datasets": datasets_dir(root) if root or os.environ.get("ETHICSKIT_DATASETS") else None,
             "decision_trees": decision_trees_dir(root) if root else None}
    return {name: path.resolve() for name, path in found.items() if path and path.is_dir()}


def _dirs_for(path: Path) -> list[str]:
    """``--dir`` arguments for every parent of ``path`` (bwrap would make them 0700, unreadable to the uid)."""
    return [arg for parent in reversed(path.parents) if str(parent) != "/"
            for arg in ("--perms", "0755", "--dir", str(parent))]


def bwrap_command(cmd: list[str], *, cwd: Path, scratch: Path, private: Path, uid: int,
                  fake_root: Path) -> list[str]:
    """The kernel command ``cmd`` wrapped in prlimit, bwrap and setpriv (pure but for reading the host's /)."""
    args = ["prlimit", f"--as={MEMORY_LIMIT}", f"--nproc={PROCESS_LIMIT}", f"--fsize={FILE_SIZE_LIMIT}",
            "--core=0", "--", "bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--unsetenv", "JPY_PARENT_PID"]  # the kernel's parent is the sandbox's init, so it must not poll it
    args += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / top
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            args += ["--ro-bind", str(host), str(host)]
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
    for path in _readonly_paths():
        args += [*_dirs_for(path), "--ro-bind", str(path), str(path)]
    args += ["--ro-bind", str(fake_root), COURSE_ROOT_INSIDE]
    for name, path in _course_paths().items():
        args += ["--ro-bind", str(path), f"{COURSE_ROOT_INSIDE}/{name}"]
    args += [*_dirs_for(private), "--bind", str(private), str(private)]
    args += [*_dirs_for(cwd), "--bind", str(scratch), str(cwd), "--chdir", str(cwd)]
    args += ["--", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
             "--bounding-set=-all", "--no-new-privs", *cmd]
    return args


def make_course_root(path: Path) -> Path:
    """The sandbox's course root: an empty config (so the kit finds a root) and mount points."""
    for folder in (path, *(path / name for name in ("datasets", "decision_trees"))):
        folder.mkdir(exist_ok=True)
        os.chmod(folder, 0o755)
    (path / "nbgrader_config.py").write_text("# the grading sandbox's course root: datasets only\n")
    os.chmod(path / "nbgrader_config.py", 0o644)
    return path


def kernel_env(cwd: Path) -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's (no database URL, no tokens)."""
    bindir = str(Path(sys.executable).parent)
    return {"PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
            "MPLCONFIGDIR": "/tmp/matplotlib", "MPLBACKEND": "agg", "PYTHONDONTWRITEBYTECODE": "1",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "ETHICSKIT_ROOT": COURSE_ROOT_INSIDE, "ETHICSKIT_DATASETS": f"{COURSE_ROOT_INSIDE}/datasets",
            "PWD": str(cwd)}


def sandbox_problem() -> str:
    """Why graded kernels cannot be sandboxed here, with the install command; "" when they can."""
    missing = sorted({pkg for tool, path in _tool_paths().items() if path is None for pkg in [TOOLS[tool]]})
    if missing:
        return (f"the grading sandbox needs {', '.join(missing)} (missing: "
                f"{', '.join(t for t, p in _tool_paths().items() if p is None)}); install it with "
                f"`apt-get install {' '.join(missing)}` (or run scripts/test-tools as root)")
    with tempfile.TemporaryDirectory(prefix="ek-sandbox-probe-") as tmp:
        tmp = Path(tmp)
        for name in ("cwd", "scratch", "private"):
            (tmp / name).mkdir()
            os.chmod(tmp / name, 0o755)
        cmd = bwrap_command([sys.executable, "-c", "import ethicskit"], cwd=tmp / "cwd", scratch=tmp / "scratch",
                            private=tmp / "private", uid=SANDBOX_UID_BASE,
                            fake_root=make_course_root(tmp / "root"))
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=kernel_env(tmp / "cwd"))
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"the grading sandbox (bubblewrap) did not start: {exc}"
    if run.returncode != 0:
        return (f"the grading sandbox (bubblewrap) did not start: {run.stderr.strip()[-300:]}. bwrap needs root "
                "or unprivileged user namespaces; on a hub, see deploy/README.md, 'Grading sandbox'")
    return ""


def _chown_tree(path: Path, uid: int) -> None:
    for folder, dirs, files in os.walk(path):
        os.chown(folder, uid, uid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in the grading sandbox, over IPC sockets."""

    sandbox_uid = Integer(0, help="uid the kernel runs as; 0 picks one from this process's pid").tag(config=True)

    def __init__(self, **kwargs):
        self._private = Path(tempfile.mkdtemp(prefix="ek-kernel-"))
        os.chmod(self._private, 0o700)
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(self._private / "ipc" / "kernel"))
        kwargs.setdefault("connection_file", str(self._private / "kernel.json"))
        super().__init__(**kwargs)
        (self._private / "ipc").mkdir()

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"  # a signal would reach bwrap, not the kernel inside
        return spec

    @property
    def uid(self) -> int:
        return self.sandbox_uid or SANDBOX_UID_BASE + os.getpid()

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        cwd = Path(kw.get("cwd") or os.getcwd()).resolve()
        scratch = self._private / "scratch"
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(cwd, scratch, symlinks=True, ignore=shutil.ignore_patterns("*.ipynb_checkpoints"))
        fake_root = make_course_root(self._private / "course")
        _chown_tree(scratch, self.uid)
        for path in (self._private, self._private / "ipc", Path(self.connection_file)):
            os.chown(path, self.uid, self.uid)
        kw["env"] = kernel_env(cwd)
        kw["cwd"] = str(self._private)
        cmd = bwrap_command(kernel_cmd, cwd=cwd, scratch=scratch, private=self._private, uid=self.uid,
                            fake_root=fake_root)
        await super()._async_launch_kernel(cmd, **kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._private, ignore_errors=True)
