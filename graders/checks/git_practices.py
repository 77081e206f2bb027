"""`git-practices` check: the quality procedures, read from the learner's repository history.

The submission carries its history as a git bundle (`git bundle create historique.bundle --all`):
the workspace copy leaves `.git` folders out, and a bundle holds commits only (no hooks, no
configuration). `graders/gitquality/dump_history.py` clones it bare and reads it with GitPython in
the sandbox, with every revision's added lines scanned for secrets (detect-secrets, the scanner of
`graders/security/`); the grader then applies `graders/gitquality/rules.py` to the JSON it wrote.

    [[checks]]
    kind = "git-practices"
    [checks.options]
    bundle = "historique.bundle"
    ci_export = "ci/statuts.csv"    # optional: commit,statut lines exported from the CI
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graders.checks.base import Check, CheckContext, CheckOutcome
from graders.gitquality import rules
from graders.planning.findings import fraction_of, part
from graders.results import Finding
from graders.sandbox.base import OUTPUT, TRUSTED, WORKSPACE
from graders.security.runner import TOOLS_DIR

DUMP = Path(__file__).resolve().parent.parent / "gitquality" / "dump_history.py"


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    conventional: float = Field(8, ge=0)
    reviews: float = Field(8, ge=0)
    tests: float = Field(8, ge=0)
    ci: float = Field(8, ge=0)
    secrets: float = Field(8, ge=0)


class GitPracticesOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bundle: str = "historique.bundle"
    ci_export: str = "ci/statuts.csv"
    max_bundle_mb: int = Field(20, gt=0, le=200)
    max_commits: int = Field(2000, gt=0, le=20000)
    weights: Weights = Field(default_factory=Weights)


def names(_) -> dict[str, str]:
    return {"conventional": _("Conventional commits"), "reviews": _("Feature branches merged through reviews"),
            "tests": _("Tests added with the features"), "ci": _("CI green at each merge"),
            "secrets": _("No secret in any revision")}


def problem_message(rule: str, params: dict, _) -> str:
    texts = {
        "commit-not-conventional": _("Commit {commit} « {subject} » does not follow Conventional Commits (type(scope): description)."),
        "no-main-branch": _("No main branch (main or master) in the history."),
        "direct-commit": _("Commit {commit} « {subject} » went onto the main branch without a merge."),
        "merge-not-reviewed": _("Merge {commit} « {subject} » names no reviewer (Reviewed-by: trailer)."),
        "merge-self-reviewed": _("Merge {commit} « {subject} » is reviewed by an author of its own branch."),
        "no-merge": _("No branch was merged into {branch}."),
        "feature-without-tests": _("Merge {commit} « {subject} » brings a feature without changing any test."),
        "no-feature-merged": _("No feature (feat commit or source code) was merged: nothing shows tests written with features."),
        "merge-without-ci": _("Merge {commit} « {subject} »: no CI result (CI: trailer or CI export)."),
        "merge-ci-red": _("Merge {commit} « {subject} » was merged while the CI failed."),
    }
    return texts[rule].format(**params)


def read_ci_export(path: Path) -> dict[str, str]:
    """`commit,statut` lines (a short or full sha, a status); anything malformed is ignored."""
    if not path.is_file() or path.is_symlink() or path.stat().st_size > 512 * 1024:
        return {}
    try:
        rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
        return {r["commit"].strip().lower(): r["statut"].strip().lower() for r in rows
                if re.fullmatch(r"[0-9a-fA-F]{7,40}", (r.get("commit") or "").strip()) and r.get("statut")}
    except (UnicodeDecodeError, csv.Error, KeyError):
        return {}


def secret_finding(hit: dict, _) -> Finding | None:
    if hit.get("kind") == "placeholder":
        return None
    test = hit.get("kind") == "test"
    return Finding(rule="secret-in-history", severity="low" if test else "high", confidence="low" if test else None,
                   path=str(hit.get("path", "?"))[:300], line=hit.get("line") if isinstance(hit.get("line"), int) else None,
                   references=["CWE-798", "CWE-540"],
                   message=_("Commit {commit}: {type} committed in {path} ({preview}); it stays in the history "
                             "even when a later commit removes it.").format(
                       commit=str(hit.get("commit", "?"))[:10], type=str(hit.get("type", "?"))[:80],
                       path=str(hit.get("path", "?"))[:300], preview=str(hit.get("preview", "…"))[:20]),
                   help=_("Revoke the secret, rewrite the history (git filter-repo) and read secrets from the "
                          "environment."))


class GitPracticesCheck(Check):
    kind = "git-practices"
    Options = GitPracticesOptions

    def run(self, ctx: CheckContext) -> CheckOutcome:
        _, o = ctx._, self.options
        labels, weights = names(_), o.weights.model_dump()
        bundle = ctx.workspace / o.bundle
        failing = [part(labels[k], weights[k], False) for k in labels]
        if not bundle.is_file() or bundle.is_symlink():
            return CheckOutcome(0.0, tests=failing, findings=[Finding(
                rule="history-missing", severity="high", path=o.bundle,
                message=_("No repository history: {bundle} is missing.").format(bundle=o.bundle),
                help=_("Create it at the root of your repository with: git bundle create {bundle} --all").format(
                    bundle=o.bundle))])
        if bundle.stat().st_size > o.max_bundle_mb << 20:
            return CheckOutcome(0.0, tests=failing, findings=[Finding(
                rule="history-too-large", severity="high", path=o.bundle,
                message=_("{bundle} is larger than {mb} MB.").format(bundle=o.bundle, mb=o.max_bundle_mb))])
        run, out = ctx.run_sandboxed(
            [sys.executable, "-I", f"{TRUSTED}/tools/dump_history.py", f"{WORKSPACE}/{o.bundle}",
             f"{OUTPUT}/history.json", str(o.max_commits)],
            trusted={"tools": self._tools(ctx)}, outputs=["history.json"])
        try:
            history = rules.History.model_validate(json.loads((out / "history.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, ValidationError):
            return CheckOutcome(0.0, error=True, tests=failing, message=_("The history could not be read: {error}").format(
                error=(run.stderr.strip().splitlines() or ["?"])[-1][:300]))
        if history.error:
            return CheckOutcome(0.0, tests=failing, findings=[Finding(
                rule="history-unreadable", severity="high", path=o.bundle,
                message=_("{bundle} is not a complete git bundle: {error}").format(bundle=o.bundle, error=history.error),
                help=_("Create it with: git bundle create {bundle} --all").format(bundle=o.bundle))])
        return self._grade(history, read_ci_export(ctx.workspace / o.ci_export), labels, weights, _)

    def _tools(self, ctx: CheckContext) -> Path:
        folder = ctx.scratch / f"git-tools-{ctx.spec.id}"
        folder.mkdir(exist_ok=True)
        for source in (DUMP, TOOLS_DIR / "secrets_scan.py"):
            (folder / source.name).write_bytes(source.read_bytes())
        return folder

    def _grade(self, history, exported, labels, weights, _) -> CheckOutcome:
        findings, tests = [], []
        outcomes = {"conventional": rules.conventional(history), "reviews": rules.reviewed_merges(history),
                    "tests": rules.tests_with_features(history), "ci": rules.ci_green(history, exported)}
        for key, outcome in outcomes.items():
            tests.append(part(labels[key], weights[key], outcome.ok))
            for rule, params in outcome.problems[:20]:
                findings.append(Finding(rule=rule, severity="medium", message=problem_message(rule, params, _)))
            if len(outcome.problems) > 20:
                findings.append(Finding(rule=outcome.problems[0][0], severity="info", message=_(
                    "{count} more like this.").format(count=len(outcome.problems) - 20)))
        secrets = [f for f in (secret_finding(h, _) for h in history.secrets) if f]
        findings += secrets
        tests.append(part(labels["secrets"], weights["secrets"], not any(f.severity == "high" for f in secrets)
                          and history.secrets_error is None))
        if history.secrets_error:
            findings.append(Finding(rule="history-secrets-not-scanned", severity="medium",
                                    message=_("The history was not fully scanned for secrets: {error}").format(
                                        error=history.secrets_error[:200])))
        if history.truncated:
            findings.append(Finding(rule="history-truncated", severity="info", message=_(
                "The history is long: only its most recent commits were read.")))
        return CheckOutcome(fraction_of(tests), findings=findings, tests=tests, metrics={
            "commits": len(history.commits), "branches": len(history.heads)})
