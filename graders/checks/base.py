"""The one interface every check implements, and what the engine hands it."""

from __future__ import annotations

import shutil
import tempfile
import threading
from abc import ABC, abstractmethod
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ClassVar

from pydantic import BaseModel, ConfigDict

from graders.results import Finding, TestCase

if TYPE_CHECKING:
    from graders.labs import Lab
    from graders.manifest import CheckSpec
    from graders.sandbox.base import Mount, RunLimits, RunResult, Sandbox


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SharedWork:
    """Work that several checks of one submission share (one notebook run for its cell groups):
    computed once, by the first check that asks, the others wait for it. The engine creates one
    per graded submission and drops it with the grade, so nothing outlives or crosses submissions."""

    def __init__(self):
        self._futures: dict[object, Future] = {}
        self._lock = threading.Lock()

    def once(self, key, compute):
        with self._lock:
            future = self._futures.get(key)
            owner = future is None
            if owner:
                future = self._futures[key] = Future()
        if owner:
            try:
                future.set_result(compute())
            except BaseException as exc:
                future.set_exception(exc)
        return future.result()


@dataclass
class CheckContext:
    """Everything a check may use. `workspace` is a private copy of the submission."""

    lab: "Lab"
    spec: "CheckSpec"
    workspace: Path
    scratch: Path
    sandbox: "Sandbox"
    limits: "RunLimits"
    lang: str
    _: Callable[[str], str]
    services: dict[str, object] = field(default_factory=dict)
    shared: SharedWork = field(default_factory=SharedWork)

    def once(self, key, compute):
        """`compute()` once per submission for `key`, whichever check asks first."""
        return self.shared.once(key, compute)

    def run_sandboxed(
        self,
        argv: list[str],
        *,
        trusted: dict[str, Path] | None = None,
        limits: "RunLimits | None" = None,
        env: dict[str, str] | None = None,
        outputs: list[str] | None = None,
        input: bytes | None = None,
        mounts: "list[Mount] | None" = None,
    ) -> tuple["RunResult", Path]:
        """Run argv in the sandbox on a private, size-capped copy of the workspace.

        `trusted` files or folders are copied read-only under /cda/<name>. `outputs` names the files
        the run may write under /out (nothing else there is writable); None hands it the whole
        folder. Returns the run and the host folder behind /out.
        """
        from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE, Mount

        run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=self.scratch))
        trusted_dir = run_dir / "cda"
        trusted_dir.mkdir()
        for name, source in (trusted or {}).items():
            if source.is_dir():
                shutil.copytree(source, trusted_dir / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copyfile(source, trusted_dir / name)
        out = run_dir / "out"
        out.mkdir()
        all_mounts = [Mount(self.workspace, WORKSPACE, private=True), Mount(trusted_dir, TRUSTED)]
        if outputs is None:
            all_mounts.append(Mount(out, OUTPUT, writable=True))
        for name in outputs or []:
            (out / name).touch()
            all_mounts.append(Mount(out / name, f"{OUTPUT}/{name}", writable=True))
        all_mounts += mounts or []
        result = self.sandbox.run(argv, mounts=all_mounts, limits=limits or self.limits, env=env, input=input)
        return result, out


@dataclass
class CheckOutcome:
    """What a check returns; the engine adds id, timing, competences and clamps the score."""

    fraction: float
    findings: list[Finding] = field(default_factory=list)
    tests: list[TestCase] = field(default_factory=list)
    message: str | None = None
    error: bool = False
    metrics: dict = field(default_factory=dict)


class Check(ABC):
    """A check grades one aspect of a submission and returns a fraction of its points in [0, 1].

    Subclasses declare `kind` and an `Options` pydantic model (validated when the lab loads, so a
    bad option is reported as a manifest error). Learner code must only ever run through
    `ctx.sandbox`; a check never imports or executes it in the grader's process.
    """

    kind: ClassVar[str]
    Options: ClassVar[type[BaseModel]] = NoOptions

    def __init__(self, options: BaseModel):
        self.options = options

    @classmethod
    def declared_criteria(cls, options: BaseModel) -> list[str]:
        """Criteria declared inside the options (a pytest group's...), beside the check's own."""
        return []

    @classmethod
    def validate_lab(cls, options: BaseModel, lab: "Lab", spec: "CheckSpec") -> None:
        """Check the options against the lab's own files when the lab loads (a test folder that
        collects nothing, points that disagree...): raise ValueError with a one-line reason."""

    @abstractmethod
    def run(self, ctx: CheckContext) -> CheckOutcome: ...
