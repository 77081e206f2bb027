"""`dev-environment` check: the development tools and the version-control set-up, read as data.

C1.1 items: ruff configured (`[tool.ruff]` of pyproject.toml, or ruff.toml), pytest configured
(`[tool.pytest.ini_options]`, pytest.ini, setup.cfg or tox.ini), pre-commit configured with a
ruff hook. C1.2 items: `.gitignore` ignores `.env`, `__pycache__/` and `.venv/` (gitignore
semantics, `pathspec`); `.gitattributes` normalises line endings; no `.env` in the submission and a
`.env.example` that declares every `${VARIABLE}` the Compose file reads. Nothing is executed: a
committed `.env` is a finding that the lab can make blocking (secret-in-repository).
"""

from __future__ import annotations

import configparser
import re
import tomllib

import yaml
from pydantic import BaseModel, ConfigDict, Field

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.containers.compose_rules import load_compose
from graders.containers.items import Item, score
from graders.results import Finding

VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?![:?-])\}")
IGNORED = (".env", "__pycache__/x.pyc", ".venv/bin/python")


class DevEnvironmentOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tools_criteria: list[str] = Field(default_factory=lambda: ["C1.1"])
    vcs_criteria: list[str] = Field(default_factory=lambda: ["C1.2"])


def read(root, name: str) -> str | None:
    path = root / name
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() and not path.is_symlink() else None


def pyproject(root) -> dict:
    try:
        return tomllib.loads(read(root, "pyproject.toml") or "")
    except tomllib.TOMLDecodeError:
        return {}


def ruff_configured(root) -> bool:
    return bool(pyproject(root).get("tool", {}).get("ruff")) or any(read(root, n) for n in ("ruff.toml", ".ruff.toml"))


def pytest_configured(root) -> bool:
    if pyproject(root).get("tool", {}).get("pytest", {}).get("ini_options") is not None or read(root, "pytest.ini"):
        return True
    for name, section in (("setup.cfg", "tool:pytest"), ("tox.ini", "pytest")):
        parser = configparser.ConfigParser()
        try:
            parser.read_string(read(root, name) or "")
        except configparser.Error:
            continue
        if parser.has_section(section):
            return True
    return False


def pre_commit_hooks(root) -> list[str]:
    try:
        data = yaml.safe_load(read(root, ".pre-commit-config.yaml") or "") or {}
    except yaml.YAMLError:
        return []
    repos = data.get("repos") if isinstance(data, dict) else None
    return [str(hook.get("id")) for repo in repos or [] if isinstance(repo, dict)
            for hook in repo.get("hooks") or [] if isinstance(hook, dict)]


def not_ignored(root) -> list[str]:
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines((read(root, ".gitignore") or "").splitlines())
    return [path.split("/")[0] for path in IGNORED if not spec.match_file(path)]


def line_endings_normalised(root) -> bool:
    for line in (read(root, ".gitattributes") or "").splitlines():
        words = line.split()
        if words and words[0] == "*" and any(w in ("text=auto", "text", "eol=lf") for w in words[1:]):
            return True
    return False


def undeclared_variables(root) -> list[str]:
    compose = load_compose(root)
    wanted = sorted(set(VARIABLE.findall(compose.text))) if compose else []
    declared = {line.split("=", 1)[0].strip().removeprefix("export ").strip()
                for line in (read(root, ".env.example") or "").splitlines() if "=" in line and not line.startswith("#")}
    return [name for name in wanted if name not in declared]


class DevEnvironmentCheck(Check):
    kind = "dev-environment"
    Options = DevEnvironmentOptions

    @classmethod
    def declared_criteria(cls, options: DevEnvironmentOptions) -> list[str]:
        return [*options.tools_criteria, *options.vcs_criteria]

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _, root, o = ctx._, ctx.workspace, self.options
        findings = []
        hooks = pre_commit_hooks(root)
        missing = not_ignored(root)
        committed = (root / ".env").exists()
        example = (root / ".env.example").is_file()
        undeclared = undeclared_variables(root) if example else []
        if committed:
            findings.append(Finding(rule="env-file-committed", severity="high", confidence="high", path=".env",
                                    message=_("The .env file (the stack's secrets) is in the repository."),
                                    references=["CWE-540", "CWE-798"],
                                    help=_("Remove it from the repository (git rm --cached .env), list it in .gitignore, "
                                           "change the passwords it held, and commit a .env.example instead.")))
        items = [
            Item(_("ruff is configured (pyproject.toml or ruff.toml)"), 4, o.tools_criteria, ruff_configured(root)),
            Item(_("pytest is configured (test paths, options)"), 3, o.tools_criteria, pytest_configured(root)),
            Item(_("pre-commit is configured with a ruff hook"), 3, o.tools_criteria,
                 any(h.startswith("ruff") for h in hooks),
                 None if hooks else _("No .pre-commit-config.yaml with hooks.")),
            Item(_(".gitignore ignores .env, __pycache__ and .venv"), 3, o.vcs_criteria, not missing,
                 _("Not ignored: {names}.").format(names=", ".join(missing)) if missing else None),
            Item(_(".gitattributes normalises line endings (* text=auto eol=lf)"), 3, o.vcs_criteria,
                 line_endings_normalised(root)),
            Item(_("No .env committed; .env.example declares every variable the Compose file reads"), 4, o.vcs_criteria,
                 not committed and example and not undeclared,
                 _("Variables missing from .env.example: {names}.").format(names=", ".join(undeclared))
                 if undeclared else None if example else _("No .env.example.")),
        ]
        fraction, tests = score(items, ctx.spec.points)
        return CheckOutcome(fraction, findings=findings, tests=tests, message=_("{passed}/{total} items").format(
            passed=sum(i.ok for i in items), total=len(items)))
