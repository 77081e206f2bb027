"""Where the scan tools run: on the host for `cda scan`, in the check's sandbox for the `security` kind.

Every tool here is static (semgrep, bandit, detect-secrets, hadolint only read files); the learner's
code is never imported nor executed. Still, each tool runs in its own process with a timeout, with
HOME and XDG folders in a private temporary folder and no telemetry. Commands are written with
placeholders: {root} (the folder scanned, also the working directory), {out} (where tools write
their reports) and {cda} (our trusted files: rules, scripts, configurations).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from graders.security.tools import run_plan as plan_module

TOOLS_DIR = Path(__file__).resolve().parent / "tools"
BIN_DIR = Path(sys.executable).parent


def tool_path(name: str) -> str | None:
    """A tool of the grader's own environment (venv bin first, then PATH)."""
    candidate = BIN_DIR / name
    if candidate.is_file():
        return str(candidate)
    return shutil.which(name)


def quiet_env(home: str) -> dict[str, str]:
    return {
        "HOME": home,
        "XDG_CONFIG_HOME": f"{home}/.config",
        "XDG_CACHE_HOME": f"{home}/.cache",
        "XDG_DATA_HOME": f"{home}/.local/share",
        "SEMGREP_SEND_METRICS": "off",
        "SEMGREP_ENABLE_VERSION_CHECK": "0",
        "NO_COLOR": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "LANG": "C.UTF-8",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }


@dataclass
class ToolCall:
    name: str
    argv: list[str]
    timeout: float = 120
    stdout: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    folders: tuple[str, ...] = ()   # host folders the command needs to see read-only (another interpreter)


@dataclass
class ToolRun:
    name: str
    returncode: int | None
    timed_out: bool
    missing: bool
    stderr: str
    duration_s: float = 0.0

    @property
    def failed(self) -> bool:
        return self.missing or self.timed_out or self.returncode is None

    def reason(self) -> str:
        if self.missing:
            return "not installed"
        if self.timed_out:
            return "timed out"
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        return (lines[-1] if lines else f"exit code {self.returncode}")[:300]


class Runner:
    """Runs a batch of ToolCalls and returns their outcomes and the folder holding their reports."""

    name = "runner"

    def __init__(self, root: Path, trusted: Path):
        self.root = root
        self.trusted = trusted

    def run(self, calls: list[ToolCall]) -> tuple[dict[str, ToolRun], Path]:
        raise NotImplementedError


def _expand(values: list[str], mapping: dict[str, str]) -> list[str]:
    return [value.format(**mapping) for value in values]


class LocalRunner(Runner):
    """`cda scan`: tools run as subprocesses of the grader, reading the project where it is."""

    name = "local"

    def __init__(self, root: Path, trusted: Path, work: Path):
        super().__init__(root, trusted)
        self.work = work

    def run(self, calls):
        out = Path(tempfile.mkdtemp(prefix="out-", dir=self.work))
        home = Path(tempfile.mkdtemp(prefix="home-", dir=self.work))
        mapping = {"root": ".", "out": str(out), "cda": str(self.trusted)}
        plan = [
            {"name": c.name, "argv": _expand(c.argv, mapping), "timeout": c.timeout, "stdout": c.stdout,
             "env": {**quiet_env(str(home)), **{k: v.format(**mapping) for k, v in c.env.items()}},
             "cwd": str(self.root)}
            for c in calls
        ]
        results = plan_module.run_plan(plan, str(out))
        return {name: ToolRun(name, **r) for name, r in results.items()}, out


class SandboxRunner(Runner):
    """`security` check: one sandboxed run executes the whole plan on a fresh copy of the workspace."""

    name = "sandbox"

    def __init__(self, ctx, trusted: Path):
        super().__init__(ctx.workspace, trusted)
        self.ctx = ctx

    def run(self, calls):
        from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE

        cda = f"{TRUSTED}/security"
        mapping = {"root": ".", "out": OUTPUT, "cda": cda}
        plan = [
            {"name": c.name, "argv": _expand(c.argv, mapping), "timeout": c.timeout, "stdout": c.stdout,
             "env": {**quiet_env("/tmp/home"), **{k: v.format(**mapping) for k, v in c.env.items()}},
             "cwd": WORKSPACE}
            for c in calls
        ]
        (self.trusted / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        run, out = self.ctx.run_sandboxed(
            [sys.executable, "-I", f"{cda}/run_plan.py", f"{cda}/plan.json", OUTPUT],
            trusted={"security": self.trusted}, mounts=extra_mounts(calls),
        )
        result_file = out / "plan-result.json"
        if result_file.is_file():
            results = json.loads(result_file.read_text(encoding="utf-8"))
            return {name: ToolRun(name, **r) for name, r in results.items()}, out
        reason = (run.stderr.strip().splitlines() or [run.limit_hit or f"exit code {run.returncode}"])[-1]
        return {c.name: ToolRun(c.name, run.returncode, run.timed_out, False, reason) for c in calls}, out


def extra_mounts(calls: list[ToolCall]) -> list:
    """Read-only mounts for the folders tools need beyond the grader's own Python (already visible)."""
    from graders.sandbox.base import Mount
    from graders.sandbox.bubblewrap import python_dirs

    seen = python_dirs()
    folders = sorted({f for c in calls for f in c.folders})
    return [Mount(Path(f), f) for f in folders if not any(f == s or f.startswith(s + "/") for s in seen)]


def prepare_trusted(dest: Path) -> Path:
    """Copy our scripts and tool configurations into `dest` (the {cda} folder)."""
    from graders.checks.bandit_check import CONFIG_DIR as BANDIT_CONFIG_DIR  # one bandit setup for both

    dest.mkdir(parents=True, exist_ok=True)
    for folder in (TOOLS_DIR, BANDIT_CONFIG_DIR):
        for item in folder.iterdir():
            if item.is_file() and item.suffix in {".py", ".yaml", ".yml", ".ini"}:
                shutil.copyfile(item, dest / item.name)
    return dest
