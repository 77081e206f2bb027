"""`import-contracts` check: layer and dependency contracts verified with import-linter."""

from __future__ import annotations

import re
import sys
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.checks.pytest_check import RUNNER_DIR
from graders.results import Finding
from graders.sandbox.base import TRUSTED, WORKSPACE

PACKAGE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[^\n\[\]]+$")
    type: Literal["layers", "forbidden", "independence"]
    layers: list[str] = Field(default_factory=list)
    modules: list[str] = Field(default_factory=list)
    source_modules: list[str] = Field(default_factory=list)
    forbidden_modules: list[str] = Field(default_factory=list)
    allow_indirect_imports: bool = False

    @model_validator(mode="after")
    def fields_for_type(self) -> "Contract":
        needed = {"layers": ["layers"], "forbidden": ["source_modules", "forbidden_modules"],
                  "independence": ["modules"]}[self.type]
        for field in needed:
            if not getattr(self, field):
                raise ValueError(f"a {self.type} contract needs {field}")
        for name in self.layers + self.modules + self.source_modules + self.forbidden_modules:
            if not PACKAGE.match(name):
                raise ValueError(f"{name!r} is not a module name")
        return self

    def ini(self, number: int) -> str:
        lines = [f"[importlinter:contract:{number}]", f"name = {self.name}", f"type = {self.type}"]
        for field in ("layers", "modules", "source_modules", "forbidden_modules"):
            values = getattr(self, field)
            if values:
                lines.append(f"{field} =\n" + "\n".join(f"    {v}" for v in values))
        if self.allow_indirect_imports:
            lines.append("allow_indirect_imports = True")
        return "\n".join(lines)


class ImportContractsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    root_package: str = Field(pattern=PACKAGE.pattern)
    contracts: list[Contract] = Field(min_length=1)

    def ini(self) -> str:
        head = f"[importlinter]\nroot_package = {self.root_package}\ninclude_external_packages = True\n"
        return head + "\n\n".join(c.ini(i) for i, c in enumerate(self.contracts, 1)) + "\n"


def broken_details(output: str, name: str) -> str:
    """The explanation import-linter prints under a broken contract's heading."""
    section = output.split("Broken contracts", 1)[-1]
    match = re.search(rf"^{re.escape(name)}\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", section, re.S | re.M)
    return match.group(1).strip() if match else ""


class ImportContractsCheck(Check):
    kind = "import-contracts"
    Options = ImportContractsOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _ = ctx._
        root = self.options.root_package
        if not (ctx.workspace / root / "__init__.py").is_file():
            return CheckOutcome(0.0, findings=[Finding(
                rule="missing-package", severity="high", path=root,
                message=_("Package {package} not found at the root of the submission.").format(package=root),
                help=_("Create the folder {package}/ with an __init__.py file.").format(package=root))])
        config = ctx.scratch / "importlinter.ini"
        config.write_text(self.options.ini(), encoding="utf-8")
        run, _out = ctx.run_sandboxed(
            [sys.executable, "-I", f"{TRUSTED}/runner/run_import_linter.py", WORKSPACE, f"{TRUSTED}/importlinter.ini"],
            trusted={"runner": RUNNER_DIR, "importlinter.ini": config},
            outputs=[],
        )
        verdicts = dict(re.findall(r"^(.+?) (KEPT|BROKEN)$", run.stdout, re.M))
        findings, kept = [], 0
        for contract in self.options.contracts:
            verdict = verdicts.get(contract.name)
            if verdict == "KEPT":
                kept += 1
                continue
            if verdict is None:
                lines = [line.strip() for line in (run.stdout + "\n" + run.stderr).splitlines() if line.strip()]
                error = (lines or ["?"])[-1][:300]
                message = _("Contract “{name}” could not be checked: {error}").format(name=contract.name, error=error)
            else:
                message = _("Contract “{name}” is broken.").format(name=contract.name)
            details = broken_details(run.stdout, contract.name)
            findings.append(Finding(
                rule=f"contract-{contract.type}", severity="medium", message=message + ("\n" + details if details else ""),
                references=["CDA C6"],
                help=_("Move the code so that each layer only imports the layers below it.")
                if contract.type == "layers" else _("Remove the forbidden import or move it to the layer that owns it."),
            ))
        return CheckOutcome(kept / len(self.options.contracts), findings=findings,
                            message=_("{kept}/{total} contracts kept").format(kept=kept, total=len(self.options.contracts)))
