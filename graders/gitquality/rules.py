"""The quality procedures, as rules on a history dump (pure functions; the accepted conventions are in
docs/planning-lab.md):

- conventional commits: every commit that is not a merge, nor a root commit (the starter as
  `cda release` committed it), has a subject `type(scope)!: description`, type among those of
  Conventional Commits 1.0 / commitlint's config-conventional;
- feature branches merged through reviews: on the main branch (`main`, else `master`), every
  commit after the first is a merge commit, and each carries a `Reviewed-by:` (or `Approved-by:`)
  trailer naming someone who wrote none of the branch's commits;
- tests with features: a merged branch that brings a feature (a `feat` commit, or a change to source
  code outside the tests) changes a test file too;
- CI green at each merge: the merge commit carries `CI: success` (or `CI-Status:`), or the CI export
  (`commit,statut` CSV) says `success` for the merge or for the branch's last commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

CONVENTIONAL = re.compile(r"^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(\([\w\-./ ]+\))?!?: \S")
CODE_FILE = re.compile(r"\.(py|js|jsx|ts|tsx|java|kt|php|go|rb|cs|rs|c|cpp|h|sql|html|vue|svelte)$")
TEST_FILE = re.compile(r"(^|/)(tests?/|test_[^/]*\.py$|[^/]*_test\.py$|[^/]*\.(spec|test)\.[jt]sx?$)")
REVIEW_KEYS = {"reviewed-by", "approved-by"}
CI_KEYS = {"ci", "ci-status"}
GREEN = {"success", "passed", "green", "réussi", "succès", "ok"}


class Commit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sha: str = Field(pattern=r"^[0-9a-f]{40}$")
    parents: list[str] = Field(max_length=16)
    author: str = Field(max_length=300)
    email: str = Field(max_length=300)
    date: str = Field(max_length=40)
    message: str = Field(max_length=4000)
    trailers: list[list[str]] = Field(max_length=50)
    files: list[str] = Field(max_length=300)

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def subject(self) -> str:
        return (self.message.strip().splitlines() or [""])[0][:120]

    def trailer(self, keys: set[str]) -> list[str]:
        return [v for k, v in self.trailers if k.lower() in keys]


class History(BaseModel):
    model_config = ConfigDict(extra="forbid")
    error: str | None = None
    commits: list[Commit] = Field(default_factory=list, max_length=5000)
    heads: dict[str, str] = Field(default_factory=dict)
    truncated: bool = False
    secrets: list[dict] = Field(default_factory=list, max_length=2000)
    secrets_error: str | None = None


@dataclass
class Outcome:
    ok: bool
    problems: list[tuple[str, dict]] = field(default_factory=list)   # (rule, params)


def main_line(history: History) -> tuple[str | None, list[Commit]]:
    """The main branch's name and its first-parent chain, oldest first."""
    by_sha = {c.sha: c for c in history.commits}
    name = next((n for n in ("main", "master") if n in history.heads), None)
    chain, sha = [], history.heads.get(name or "")
    while sha in by_sha and len(chain) < len(by_sha):
        chain.append(by_sha[sha])
        sha = by_sha[sha].parents[0] if by_sha[sha].parents else None
    return name, chain[::-1]


def branch_commits(history: History, merge: Commit) -> list[Commit]:
    """The commits a merge brings in: reachable from its other parents, not from its first."""
    by_sha = {c.sha: c for c in history.commits}

    def ancestors(start: list[str]) -> set[str]:
        seen, todo = set(), list(start)
        while todo:
            sha = todo.pop()
            if sha in seen or sha not in by_sha:
                continue
            seen.add(sha)
            todo.extend(by_sha[sha].parents)
        return seen

    mine = ancestors(merge.parents[1:]) - ancestors(merge.parents[:1])
    return [c for c in history.commits if c.sha in mine]


def conventional(history: History) -> Outcome:
    bad = [c for c in history.commits if len(c.parents) == 1 and not CONVENTIONAL.match(c.subject)]
    return Outcome(not bad and bool(history.commits),
                   [("commit-not-conventional", {"commit": c.short, "subject": c.subject}) for c in bad])


def reviewed_merges(history: History) -> Outcome:
    name, chain = main_line(history)
    if not chain:
        return Outcome(False, [("no-main-branch", {})])
    problems = [("direct-commit", {"commit": c.short, "subject": c.subject}) for c in chain[1:] if len(c.parents) < 2]
    merges = [c for c in chain if len(c.parents) > 1]
    for merge in merges:
        reviewers = merge.trailer(REVIEW_KEYS)
        authors = {c.email.lower() for c in branch_commits(history, merge)} | {c.author.lower() for c in branch_commits(history, merge)}
        real = [r for r in reviewers if not any(a and a in r.lower() for a in authors)]
        if not reviewers:
            problems.append(("merge-not-reviewed", {"commit": merge.short, "subject": merge.subject}))
        elif not real:
            problems.append(("merge-self-reviewed", {"commit": merge.short, "subject": merge.subject}))
    if not merges:
        problems.append(("no-merge", {"branch": name}))
    return Outcome(not problems, problems)


def tests_with_features(history: History) -> Outcome:
    _, chain = main_line(history)
    problems, features = [], 0
    for merge in (c for c in chain if len(c.parents) > 1):
        brought = branch_commits(history, merge)
        code = [f for c in brought for f in c.files if CODE_FILE.search(f) and not TEST_FILE.search(f)]
        if not code and not any(c.subject.startswith("feat") for c in brought):
            continue
        features += 1
        if not any(TEST_FILE.search(f) for c in brought for f in c.files):  # a test file changed, not only run
            problems.append(("feature-without-tests", {"commit": merge.short, "subject": merge.subject}))
    if not features:
        problems.append(("no-feature-merged", {}))
    return Outcome(not problems, problems)


def ci_green(history: History, exported: dict[str, str]) -> Outcome:
    _, chain = main_line(history)
    problems = []
    merges = [c for c in chain if len(c.parents) > 1]
    for merge in merges:
        states = [v.split()[0].lower() for v in merge.trailer(CI_KEYS) if v.split()]
        for sha in (merge.sha, merge.parents[-1]):
            states += [s for prefix, s in exported.items() if sha.startswith(prefix)]
        if not states:
            problems.append(("merge-without-ci", {"commit": merge.short, "subject": merge.subject}))
        elif not all(s in GREEN for s in states):
            problems.append(("merge-ci-red", {"commit": merge.short, "subject": merge.subject}))
    if not merges:
        problems.append(("no-merge", {"branch": "main"}))
    return Outcome(not problems, problems)
