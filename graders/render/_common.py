"""Helpers shared by the renderers: labels, number formats, text cleaning, the hidden-test rule."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from babel.numbers import format_decimal, format_percent

from graders.i18n import N_, gettext_for
from graders.results import BlockingFlaw, CheckResult, CriterionResult, Finding, Result, TestCase


STATUS_LABELS = {
    "passed": N_("Passed"),
    "failed": N_("Failed"),
    "error": N_("Error"),
    "skipped": N_("Skipped"),
    "pending": N_("To be graded by the trainer"),
}
STATUS_EMOJI = {"passed": "✅", "failed": "❌", "error": "⚠️", "skipped": "⏭️", "pending": "📝"}

# Criterion, competence and CCP verdicts: always a text label with a symbol, never a colour alone.
VERDICT_LABELS = {
    "acquired": N_("Acquired"),
    "consolidate": N_("To consolidate"),
    "not-acquired": N_("Not acquired"),
    "not-assessed": N_("Not assessed"),
}
VERDICT_EMOJI = {"acquired": "✅", "consolidate": "🟡", "not-acquired": "❌", "not-assessed": "➖"}
VERDICT_GLYPH = {"acquired": "✔", "consolidate": "◐", "not-acquired": "✘", "not-assessed": "–"}  # text glyphs (HTML, terminal)

SEVERITY_LABELS = {
    "critical": N_("Critical"),
    "high": N_("High"),
    "medium": N_("Medium"),
    "low": N_("Low"),
    "info": N_("Info"),
}
SEVERITY_EMOJI = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🔵", "info": "⚪"}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}

HIDDEN_EMOJI = "🔒"

# Kinds and themes whose findings are security findings (SARIF tag "security").
SECURITY_KINDS = frozenset(
    {"bandit", "security", "semgrep", "gitleaks", "secrets", "pip-audit", "npm-audit", "dependency-audit", "sast", "zap"}
)
SECURITY_THEMES = frozenset({"anssi", "security", "securite", "sécurité"})

CWE_RE = re.compile(r"^\s*CWE[-_ :]?(\d+)\s*$", re.IGNORECASE)
OWASP_RE = re.compile(r"^\s*OWASP\b", re.IGNORECASE)
URL_RE = re.compile(r"^https?://\S+$")

_ANSI_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_INVALID_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

MAX_MESSAGE_CHARS = 4000


def translator(lang: str) -> Callable[[str], str]:
    return gettext_for(lang)


def clean_text(text: str | None, limit: int | None = MAX_MESSAGE_CHARS) -> str:
    """Strip ANSI escapes and characters XML cannot carry; cut very long text."""
    if not text:
        return ""
    text = _ANSI_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVALID_XML_RE.sub("", text)
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + " […]"
    return text


def babel_locale(lang: str) -> str:
    return "fr_FR" if lang == "fr" else "en_US"


def fmt_num(value: float, lang: str) -> str:
    return format_decimal(round(value, 2), format="#,##0.##", locale=babel_locale(lang))


def fmt_pct(percent: float, lang: str) -> str:
    """`percent` is 0..100; at most one decimal, the locale's own pattern ("52,5 %", "52.5%")."""
    value = Decimal(str(round(percent, 1))) / 100
    return format_percent(value, locale=babel_locale(lang), decimal_quantization=False)


def fmt_seconds(seconds: float, lang: str) -> str:
    return format_decimal(round(seconds, 1), format="#,##0.#", locale=babel_locale(lang)) + " s"


def pct(score: float, max_score: float) -> float:
    return 100.0 * score / max_score if max_score else 0.0


def check_label(check: CheckResult) -> str:
    return check.title or check.id


def check_ok(check: CheckResult) -> bool:
    """A check counts as passed when it passed with every point it could earn."""
    return check.status == "passed" and check.score >= check.max_score


def is_hidden_test(check: CheckResult, test: TestCase) -> bool:
    """Hidden tests and every test of a hidden check show name and verdict only."""
    return test.hidden or not check.visible


def cwe_id(reference: str) -> str | None:
    match = CWE_RE.match(reference)
    return f"CWE-{match.group(1)}" if match else None


def reference_url(reference: str) -> str | None:
    cwe = cwe_id(reference)
    if cwe:
        return f"https://cwe.mitre.org/data/definitions/{cwe[4:]}.html"
    if URL_RE.match(reference.strip()):
        return reference.strip()
    return None


def is_security(check: CheckResult, finding: Finding) -> bool:
    if any(cwe_id(ref) or OWASP_RE.match(ref) for ref in finding.references):
        return True
    if check.kind.lower() in SECURITY_KINDS:
        return True
    return any(theme.lower() in SECURITY_THEMES for theme in check.themes)


def display_path(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def location(finding: Finding) -> str | None:
    if not finding.path:
        return None
    path = display_path(finding.path)
    return f"{path}:{finding.line}" if finding.line else path


def sorted_findings(check: CheckResult) -> list[Finding]:
    """Most severe first, then by location; findings without a path last within a severity."""
    return sorted(
        check.findings,
        key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), display_path(f.path) if f.path else "\uffff", f.line or 0),
    )


def failing(test: TestCase) -> bool:
    return test.status in ("failed", "error")


def noteworthy(test: TestCase) -> bool:
    """Tests a report details: failures, and work awaiting the trainer (neither passed nor failed)."""
    return failing(test) or test.status == "pending"


def hidden_check_note(with_findings: bool) -> str:
    """The msgid telling what a hidden check shows: its verdict, and its findings when it has some."""
    if with_findings:
        return N_("Hidden check: only its verdict and findings are shown.")
    return N_("Hidden check: only its verdict is shown.")


def scored_tests(check: CheckResult) -> bool:
    """Whether the check is scored test by test (Gradescope entries, its message shown apart)."""
    return bool(check.tests) and sum(t.max_score for t in check.tests) > 0


def area_label(area_id: str, title: str | None) -> str:
    return f"{area_id} — {title}" if title else area_id


def lab_label(result: Result) -> str:
    return result.lab_title or result.lab


def finding_lines(finding: Finding, _: Callable[[str], str]) -> list[str]:
    """One finding as plain text: severity, rule, location and message, then references and help."""
    references, help_label = _("References:"), _("Help:")
    severity = _(SEVERITY_LABELS[finding.severity])
    where = location(finding)
    head = f"[{severity}] {finding.rule}" + (f" {where}" if where else "")
    lines = [f"{head}: {clean_text(finding.message)}"]
    if finding.references:
        lines.append(f"  {references} {', '.join(finding.references)}")
    if finding.help:
        lines.append(f"  {help_label} {clean_text(finding.help)}")
    return lines


def findings_text(check: CheckResult, lang: str) -> str:
    """Plain-text check message and findings (JUnit failure text, Gradescope output).

    Findings are the grader's own words: every check shows them, hidden or not. The check's own
    message is shown for visible checks only.
    """
    _ = translator(lang)
    lines = []
    if check.message and check.visible:
        lines.append(clean_text(check.message))
    for finding in sorted_findings(check):
        lines += finding_lines(finding, _)
    return "\n".join(lines)


def verdict_text(verdict: str, _: Callable[[str], str], emoji: bool = True) -> str:
    """A verdict as symbol and label: "✅ Acquis"."""
    symbol = (VERDICT_EMOJI if emoji else VERDICT_GLYPH)[verdict]
    return f"{symbol} {_(VERDICT_LABELS[verdict])}"


def criterion_label(criterion: CriterionResult) -> str:
    return f"{criterion.id} — {criterion.title}" if criterion.title else criterion.id


def blocking_text(flaw: BlockingFlaw, _: Callable[[str], str]) -> str:
    """One blocking flaw as plain text: its reason, the finding's rule and check, its reference."""
    text = _("%(reason)s (rule %(rule)s, check %(check)s)") % {
        "reason": clean_text(flaw.reason, 1000), "rule": flaw.rule, "check": flaw.check,
    }
    if flaw.reference:
        text += " — " + _("reference: %(reference)s") % {"reference": flaw.reference}
    return text


def rubric_text(item: str, _: Callable[[str], str]) -> str:
    return _("To be assessed by the trainer: %(item)s") % {"item": clean_text(item, 1000)}


def criterion_reasons(criterion: CriterionResult, _: Callable[[str], str], lang: str) -> list[str]:
    """Why a criterion has its verdict, as plain-text lines: its blocking flaws, else its points
    (when not acquired or to consolidate), and the trainer's rubric when not assessed."""
    lines = [blocking_text(flaw, _) for flaw in criterion.blocking]
    if not lines and criterion.verdict in ("not-acquired", "consolidate") and criterion.fraction is not None:
        lines.append(_("Points earned: %(percent)s") % {"percent": fmt_pct(100 * criterion.fraction, lang)})
    if criterion.verdict == "not-assessed":
        lines += [rubric_text(item, _) for item in criterion.rubric]
    return lines


def criteria_lines(result: Result, _: Callable[[str], str], lang: str, emoji: bool = True) -> list[str]:
    """The criteria verdicts as plain text (Gradescope output, terminal): one line each, its reasons indented."""
    lines = []
    for criterion in result.criteria:
        lines.append(f"{criterion_label(criterion)}: {verdict_text(criterion.verdict, _, emoji)}")
        lines += [f"  {line}" for line in criterion_reasons(criterion, _, lang)]
    return lines
