"""ANSSI browser-side hardening: response headers, session cookies, and what error pages give away.

Sources: ANSSI, « Recommandations pour la mise en œuvre d'un site web : maîtriser les standards de
sécurité côté navigateur » (CSP, X-Frame-Options / frame-ancestors, X-Content-Type-Options, HSTS,
cookie flags) and « Recommandations pour la sécurisation des sites web » (no debug output, no
technical details in error pages). CWE identifiers are added for SARIF consumers.
"""

from __future__ import annotations

import re
import secrets
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from graders.web.issues import Issue

if TYPE_CHECKING:
    from graders.web.collect import PageData

ANSSI_BROWSER = "ANSSI — sécurité côté navigateur"
ANSSI_WEB = "ANSSI — sécurisation des sites web"
CNIL_SECURITY = "CNIL fiche 6"
SESSION_NAME = re.compile(r"sess|^sid$|_sid$|auth|token|jwt|login|remember|^user(_?id)?$|^id$|connect\.sid|jsessionid|phpsessid", re.I)
HSTS_MIN_AGE = 180 * 86400

TRACE_PATTERNS = [
    ("python", re.compile(r"Traceback \(most recent call last\)")),
    ("python", re.compile(r"File &quot;[^&\n]+\.py&quot;, line \d+|File \"[^\"\n]+\.py\", line \d+")),
    ("node", re.compile(r"\n\s+at [\w$.<>\[\] ]+ \((?:/|file:|node:)[^)]*:\d+:\d+\)")),
    ("java", re.compile(r"\tat (?:java|javax|org|com|jdk)\.[\w.$]+\(|Exception in thread \"")),
    ("php", re.compile(r"(?:Fatal error|Parse error|Warning)(?:</b>)?:\s.*? on line (?:<b>)?\d+|#\d+ /[^\s]+\.php\(\d+\)")),
    ("dotnet", re.compile(r"\bat [\w.]+\(.*\) in [A-Z]:\\.*:line \d+|Server Error in '/' Application")),
]
DEBUG_PATTERNS = [
    ("werkzeug", re.compile(r"Werkzeug Debugger|The debugger caught an exception|__debugger__|Interactive Console")),
    ("django", re.compile(r"You(?:'|&#x27;|&#39;)re seeing this error because you have <code>DEBUG = True</code>|Django tried these URL patterns|Using the URLconf defined in")),
    ("laravel", re.compile(r"Whoops, looks like something went wrong|Illuminate\\\\|Ignition")),
    ("symfony", re.compile(r"Symfony\\\\Component\\\\|Symfony Exception")),
    ("rails", re.compile(r"ActionController::RoutingError|Routes match in priority")),
    ("express", re.compile(r"<pre>(?:Error|TypeError|ReferenceError)[^<]*<br> &nbsp; &nbsp;at ")),
]
SECRET_PATTERNS = [
    ("private-key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----")),
    ("aws-key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("database-url", re.compile(r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|amqp)://[^:\s/'\"<>]+:[^@\s'\"<>]+@")),
    ("secret-setting", re.compile(r"\b(?:SECRET_KEY|DATABASE_URL|AWS_SECRET_ACCESS_KEY|DB_PASSWORD|API_KEY|PRIVATE_KEY|JWT_SECRET|MAIL_PASSWORD)\b\s*(?:=|:|&#39;:|': |\"\s*:)\s*['\"&#;x0-9]*[A-Za-z0-9+/_\-]{6,}")),
    ("environment", re.compile(r"\b(?:PATH=/(?:usr|bin)|HOME=/|PWD=/|HOSTNAME=)\S*")),
    ("environment", re.compile(r"environ\(\{|os\.environ|'PATH': '/|&#39;PATH&#39;: &#39;/")),
]


def header_issue(rule: str, severity: str, message: str, fix: str, refs: list[str], url: str, **extra) -> Issue:
    return Issue(family="anssi", rule=rule, severity=severity, message=message, help=fix, references=refs, page=url, **extra)


def parse_csp(value: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for policy in value.split(","):
        for part in policy.split(";"):
            tokens = part.strip().split()
            if tokens:
                directives.setdefault(tokens[0].lower(), tokens[1:])
    return directives


META_CSP = re.compile(r"<meta[^>]+http-equiv=[\"']?content-security-policy[\"']?[^>]*content=[\"']([^\"']*)[\"']", re.I)


def csp_issues(page: "PageData", _) -> list[Issue]:
    url = page.url
    header = page.headers.get("content-security-policy", "")
    meta = META_CSP.search(page.facts.get("html", "") or "")
    policy = header or (meta.group(1) if meta else "")
    issues: list[Issue] = []
    refs = [ANSSI_BROWSER, "CWE-693", "OWASP A05:2021"]
    if not policy:
        report_only = page.headers.get("content-security-policy-report-only")
        issues.append(header_issue(
            "anssi-csp-missing", "high",
            _("No Content-Security-Policy: nothing limits which scripts the page may run.") if not report_only else
            _("The Content-Security-Policy is only in report-only mode: it blocks nothing."),
            _("Send a Content-Security-Policy header, e.g. « default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self' »."),
            refs, url))
        return issues
    directives = parse_csp(policy)
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None:
        issues.append(header_issue(
            "anssi-csp-scripts", "high", _("The Content-Security-Policy has neither script-src nor default-src: scripts are not restricted."),
            _("Add « script-src 'self' » (or a default-src) to the policy."), refs, url))
    else:
        values = [v.lower() for v in scripts]
        guarded = any(v.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for v in values) or "'strict-dynamic'" in values
        if "'unsafe-inline'" in values and not guarded:
            issues.append(header_issue(
                "anssi-csp-unsafe-inline", "high",
                _("The Content-Security-Policy allows inline scripts ('unsafe-inline'): it does not stop script injection (XSS)."),
                _("Remove 'unsafe-inline' from script-src: move inline scripts and on* attributes to files, or use nonces or hashes."),
                refs + ["CWE-79"], url))
        if any(v in ("*", "http:", "https:", "data:") for v in values):
            issues.append(header_issue(
                "anssi-csp-permissive", "medium",
                _("The Content-Security-Policy lets scripts come from anywhere (*, http:, https: or data:)."),
                _("List only the origins your scripts come from, e.g. « script-src 'self' »."), refs, url))
        if "'unsafe-eval'" in values:
            issues.append(header_issue(
                "anssi-csp-unsafe-eval", "low", _("The Content-Security-Policy allows eval() ('unsafe-eval')."),
                _("Remove 'unsafe-eval' and avoid eval(), new Function() and string timers."), refs, url))
    return issues


def header_issues(page: "PageData", _) -> list[Issue]:
    url = page.url
    headers = page.headers
    issues = csp_issues(page, _)
    csp = parse_csp(headers.get("content-security-policy", ""))
    ancestors = [v.lower() for v in csp.get("frame-ancestors", [])]
    xfo = headers.get("x-frame-options", "").strip().lower()
    if not (ancestors and "*" not in ancestors) and xfo not in ("deny", "sameorigin"):
        issues.append(header_issue(
            "anssi-framing", "medium",
            _("The page may be framed by any site (no frame-ancestors, no X-Frame-Options): clickjacking is possible."),
            _("Send « Content-Security-Policy: frame-ancestors 'none' » (or 'self'), or « X-Frame-Options: DENY »."),
            [ANSSI_BROWSER, "CWE-1021"], url))
    if headers.get("x-content-type-options", "").strip().lower() != "nosniff":
        issues.append(header_issue(
            "anssi-nosniff", "medium", _("X-Content-Type-Options: nosniff is missing: the browser may guess content types."),
            _("Send « X-Content-Type-Options: nosniff » on every response."), [ANSSI_BROWSER, "CWE-693"], url))
    referrer = headers.get("referrer-policy", "").strip().lower()
    if not referrer:
        issues.append(header_issue(
            "anssi-referrer-policy", "low", _("No Referrer-Policy: the browser's default decides what addresses leak to other sites."),
            _("Send « Referrer-Policy: strict-origin-when-cross-origin » (or no-referrer, same-origin)."),
            [ANSSI_BROWSER, "CWE-200"], url))
    elif referrer.split(",")[-1].strip() in ("unsafe-url", "no-referrer-when-downgrade"):
        issues.append(header_issue(
            "anssi-referrer-policy", "low",
            _("Referrer-Policy « {value} » sends full addresses to other sites.").format(value=referrer),
            _("Use « strict-origin-when-cross-origin », « same-origin » or « no-referrer »."),
            [ANSSI_BROWSER, "CWE-200"], url))
    if urlsplit(url).scheme == "https":
        hsts = headers.get("strict-transport-security", "")
        age = re.search(r"max-age\s*=\s*\"?(\d+)", hsts, re.I)
        if not hsts or not age:
            issues.append(header_issue(
                "anssi-hsts", "high", _("No Strict-Transport-Security (HSTS) on an HTTPS site."),
                _("Send « Strict-Transport-Security: max-age=63072000; includeSubDomains »."),
                [ANSSI_BROWSER, "CWE-319", CNIL_SECURITY], url))
        elif int(age.group(1)) < HSTS_MIN_AGE:
            issues.append(header_issue(
                "anssi-hsts", "low", _("Strict-Transport-Security max-age is shorter than 6 months."),
                _("Use max-age=31536000 (one year) or more."), [ANSSI_BROWSER, "CWE-319"], url))
    return issues


@dataclass
class CookieFlags:
    name: str
    httponly: bool
    samesite: str | None
    secure: bool
    source: str  # "header" or "script"
    raw: str = ""


def parse_set_cookie(line: str) -> CookieFlags | None:
    parts = [p.strip() for p in line.split(";")]
    if not parts or "=" not in parts[0]:
        return None
    name = parts[0].split("=", 1)[0].strip()
    attrs = {p.split("=", 1)[0].strip().lower(): (p.split("=", 1)[1].strip() if "=" in p else "") for p in parts[1:] if p}
    return CookieFlags(name=name, httponly="httponly" in attrs, samesite=attrs.get("samesite") or None,
                       secure="secure" in attrs, source="header", raw=line[:200])


def session_cookies(page: "PageData", extra_names: set[str] | None = None) -> list[CookieFlags]:
    """Session-like cookies the site sets, from the raw Set-Cookie headers (or set by script)."""
    found: dict[str, CookieFlags] = {}
    for line in page.set_cookies:
        flags = parse_set_cookie(line)
        if flags and (SESSION_NAME.search(flags.name) or flags.name in (extra_names or set())):
            if "max-age=0" in line.lower() or "expires=thu, 01 jan 1970" in line.lower():
                continue
            found[flags.name] = flags
    host = urlsplit(page.url).hostname or ""
    for cookie in page.cookies:
        name = cookie.get("name", "")
        domain = (cookie.get("domain") or "").lstrip(".")
        if name in found or not (SESSION_NAME.search(name) or name in (extra_names or set())):
            continue
        if domain and domain != host and not host.endswith("." + domain):
            continue
        # Only in the browser's store (set by script, or earlier): the store cannot tell an absent
        # SameSite from the browser's Lax default, so only an explicit None counts against it.
        same_site = cookie.get("sameSite")
        found[name] = CookieFlags(name=name, httponly=bool(cookie.get("httpOnly")),
                                  samesite=same_site if same_site and same_site != "None" else ("None" if same_site == "None" else "Lax"),
                                  secure=bool(cookie.get("secure")), source="store")
    return list(found.values())


def cookie_issues(page: "PageData", _, extra_names: set[str] | None = None) -> list[Issue]:
    issues = []
    https = urlsplit(page.url).scheme == "https"
    for cookie in session_cookies(page, extra_names):
        element = f"Set-Cookie: {cookie.raw}" if cookie.raw else None
        if not cookie.httponly:
            issues.append(header_issue(
                "anssi-cookie-httponly", "high",
                _("The session cookie « {name} » is readable by scripts (no HttpOnly flag).").format(name=cookie.name),
                _("Set the HttpOnly flag on session cookies (Flask: SESSION_COOKIE_HTTPONLY = True)."),
                [ANSSI_BROWSER, CNIL_SECURITY, "CWE-1004"], page.url, element=element))
        if not cookie.samesite or (cookie.samesite.lower() == "none" and not cookie.secure):
            issues.append(header_issue(
                "anssi-cookie-samesite", "medium",
                _("The session cookie « {name} » has no SameSite attribute (Lax or Strict).").format(name=cookie.name),
                _("Set SameSite=Lax (or Strict) on session cookies (Flask: SESSION_COOKIE_SAMESITE = \"Lax\")."),
                [ANSSI_BROWSER, CNIL_SECURITY, "CWE-1275"], page.url, element=element))
        if https and not cookie.secure:
            issues.append(header_issue(
                "anssi-cookie-secure", "high",
                _("The session cookie « {name} » may travel over plain HTTP (no Secure flag).").format(name=cookie.name),
                _("Set the Secure flag on session cookies (Flask: SESSION_COOKIE_SECURE = True)."),
                [ANSSI_BROWSER, CNIL_SECURITY, "CWE-614"], page.url, element=element))
    return issues


# --- error pages and leaks ------------------------------------------------------------------------

def leaks(text: str) -> list[tuple[str, str, str]]:
    """(kind, detail, excerpt) for stack traces, debug pages and secrets found in `text`."""
    found = []
    for kind, patterns in (("debug", DEBUG_PATTERNS), ("trace", TRACE_PATTERNS), ("secret", SECRET_PATTERNS)):
        for detail, pattern in patterns:
            match = pattern.search(text)
            if match:
                start = max(0, match.start() - 40)
                found.append((kind, detail, text[start:match.end() + 40].replace("\n", " ")[:200]))
                break
    return found


def leak_issues(text: str, url: str, _, where: str) -> list[Issue]:
    issues = []
    for kind, detail, excerpt in leaks(text):
        if kind == "debug":
            issues.append(header_issue(
                "anssi-debug-mode", "critical",
                _("{where} shows a debug page ({framework}): it exposes code and sometimes a console.").format(where=where, framework=detail),
                _("Never run in debug mode outside development (Flask: debug=False / no FLASK_DEBUG; Django: DEBUG = False)."),
                [ANSSI_WEB, "CWE-489", "CWE-215"], url, snippet=excerpt))
        elif kind == "trace":
            issues.append(header_issue(
                "anssi-stack-trace", "high",
                _("{where} shows a stack trace ({language}): it reveals code, paths and versions.").format(where=where, language=detail),
                _("Catch errors and show a generic error page; log the details on the server only."),
                [ANSSI_WEB, "CWE-209"], url, snippet=excerpt))
        else:
            issues.append(header_issue(
                "anssi-secret-leak", "critical",
                _("{where} reveals a secret or the server environment ({what}).").format(where=where, what=detail),
                _("Remove secrets from pages and error messages; keep them in the server environment and rotate the leaked ones."),
                [ANSSI_WEB, "CWE-200", "CWE-798"], url, snippet=excerpt))
    return issues


@dataclass
class Probe:
    label: str
    url: str
    method: str = "GET"
    status: int | None = None
    body: str = ""
    error: str | None = None


@dataclass
class ErrorProbes:
    origin: str
    probes: list[Probe] = field(default_factory=list)

    def as_metrics(self) -> list[dict]:
        return [{"label": p.label, "url": p.url, "method": p.method, "status": p.status, "error": p.error} for p in self.probes]


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """Audits target local and test servers: certificates are not verified (nothing secret is sent)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def fetch(url: str, method: str = "GET", timeout: float = 8.0, data: bytes | None = None) -> tuple[int | None, str, str | None]:
    context = _tls()
    request = urllib.request.Request(url, method=method, data=data, headers={"User-Agent": "cda-audit", "Accept": "text/html,*/*"})
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            return response.status, response.read(400_000).decode("utf-8", "replace"), None
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read(400_000).decode("utf-8", "replace")
        except Exception:
            body = ""
        return exc.code, body, None
    except Exception as exc:
        return None, "", f"{type(exc).__name__}: {exc}"[:200]


def probe_errors(first_page: str) -> ErrorProbes:
    """Ask for what should not exist, and for debug endpoints: error pages must stay generic."""
    parts = urlsplit(first_page)
    origin = f"{parts.scheme}://{parts.netloc}"
    token = secrets.token_hex(4)
    base = first_page.split("#")[0]
    joiner = "&" if "?" in base else "?"
    plan = [
        ("404", f"{origin}/cda-audit-{token}", "GET", None),
        ("bogus-route", f"{origin}/cda-audit-{token}/%25%ff..%2f/index.php", "GET", None),
        ("bogus-parameters", f"{base}{joiner}id=%27%22&page=x%27&q=%00", "GET", None),
        ("bogus-post", base, "POST", b"cda-audit=%27%22%3C"),
        ("werkzeug-debugger", f"{origin}/?__debugger__=yes&cmd=resource&f=debugger.js", "GET", None),
        ("werkzeug-console", f"{origin}/console", "GET", None),
    ]
    report = ErrorProbes(origin)
    for label, url, method, data in plan:
        status, body, error = fetch(url, method, data=data)
        report.probes.append(Probe(label, url, method, status, body, error))
    return report


def probe_issues(report: ErrorProbes, _) -> list[Issue]:
    issues: list[Issue] = []
    for probe in report.probes:
        if probe.status is None:
            continue
        body = probe.body.replace(probe.url, "").replace(urlsplit(probe.url).path, "")
        if probe.label == "werkzeug-debugger":
            if probe.status == 200 and re.search(r"\bEVALEX\b|\bCONSOLE_MODE\b", body):
                issues.append(header_issue(
                    "anssi-debug-mode", "critical",
                    _("The Werkzeug debugger answers at {url}: the application runs in debug mode.").format(url=probe.url),
                    _("Never run in debug mode outside development (Flask: debug=False / no FLASK_DEBUG)."),
                    [ANSSI_WEB, "CWE-489", "CWE-215"], probe.url))
            continue
        if probe.label == "werkzeug-console":
            if probe.status == 200 and re.search(r"Interactive Console", body) and re.search(r"Werkzeug|__debugger__|EVALEX", body):
                issues.append(header_issue(
                    "anssi-debug-mode", "critical",
                    _("A Werkzeug interactive console answers at {url}: the application runs in debug mode.").format(url=probe.url),
                    _("Never run in debug mode outside development (Flask: debug=False / no FLASK_DEBUG)."),
                    [ANSSI_WEB, "CWE-489", "CWE-215"], probe.url))
            continue
        where = _("An error page (HTTP {status})").format(status=probe.status)
        issues.extend(leak_issues(body, probe.url, _, where))
    return issues
