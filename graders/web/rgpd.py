"""RGPD (CNIL, « Guide RGPD de l'équipe de développement »): consent to trackers, notices.

- before any consent: no request to a third-party host, no cookie that needs consent (fiche 16);
- a consent banner whose refusal is as easy as acceptance, refusal that really blocks, and a way
  to withdraw consent on every page (fiche 16);
- audience cookies living at most 13 months (fiche 17);
- links to the legal notice (LCEN) and to the privacy notice (fiche 12) on every page.

"Third party": another registrable domain; for IP addresses and single-label hosts (localhost),
another host:port, so that two local servers stand for two sites.
"""

from __future__ import annotations

import ipaddress
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from graders.web import probes
from graders.web.issues import Issue

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from graders.web.collect import AuditSettings, PageData


FICHE_TRACKERS = "CNIL fiche 16"
FICHE_AUDIENCE = "CNIL fiche 17"
FICHE_INFORM = "CNIL fiche 12"
ART_82 = "Loi Informatique et Libertés, art. 82"
LCEN = "LCEN (loi n° 2004-575 du 21 juin 2004)"
THIRTEEN_MONTHS_DAYS = 396  # 13 months, with one day of tolerance

ESSENTIAL = re.compile(
    r"^(session|sessionid|sid|sess|phpsessid|jsessionid|connect\.sid|asp\.net_sessionid|laravel_session|.*_session"
    r"|.*csrf.*|.*xsrf.*|__host-.*|__secure-.*|lang|locale|language|i18n.*|django_language|cart|panier|basket"
    r"|remember.*|auth.*|token|access_token|refresh_token|jwt|.*consent.*|cookies?_?(ok|accepted|choice|choices|prefs?"
    r"|preferences|policy|notice)|choix.*cookies?|tarteaucitron|didomi_token|euconsent.*|axeptio.*|cc_cookie|cookieyes.*"
    r"|cmp.*|theme|darkmode)$",
    re.IGNORECASE,
)
TRACKER = re.compile(
    r"^(_ga.*|_gid|_gat.*|__utm.*|_gcl.*|_fbp|_fbc|fr|_hj.*|_pk_.*|mtm_.*|_mtm.*|_clck|_clsk|_uet.*|ide|test_cookie"
    r"|_tt_.*|_ttp|_scid|_pin_.*|muid|anj|uuid2|__qca|_parsely.*|ajs_.*|mp_.*|amplitude.*|_dc_gtm.*|_li.*|li_.*"
    r"|bcookie|lidc|xtvrn|xtan.*|atuserid|atidvisitor|.*track.*|.*analytic.*|.*audience.*|.*stats?_.*|.*visitor.*"
    r"|.*_ads?(_.*)?|ads?_.*|.*pixel.*|.*tracker.*|.*mesure.*|.*_uid|uid)$",
    re.IGNORECASE,
)
LEGAL = re.compile(r"mentions?\s*l[ée]gales?|informations?\s*l[ée]gales?|legal\s*notice|imprint|impressum|^l[ée]gal$", re.I)
LEGAL_HREF = re.compile(r"mentions[-_]?legales|legal[-_]?notice|/legal\b|imprint", re.I)
PRIVACY = re.compile(r"confidentialit[ée]|donn[ée]es\s*personnelles|vie\s*priv[ée]e|privacy|rgpd|gdpr|protection\s*des\s*donn[ée]es", re.I)
PRIVACY_HREF = re.compile(r"confidentialite|donnees[-_]?personnelles|vie[-_]?privee|privacy|rgpd|gdpr|protection[-_]?des[-_]?donnees", re.I)
WITHDRAW = re.compile(
    r"(g[ée]rer|gestion|param[èe]tr|r[ée]glages|pr[ée]f[ée]rences|choix|retirer|modifier).{0,30}(cookies?|traceurs?|consentement)"
    r"|(cookies?|traceurs?|consentement).{0,20}(param[èe]tres|pr[ée]f[ée]rences|r[ée]glages|choix|gestion)"
    r"|(manage|change|withdraw).{0,20}(cookies?|consent)|(cookie|privacy|consent) (settings|preferences|choices)|^cookies?$",
    re.IGNORECASE,
)


def site_key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        is_ip = True
    except ValueError:
        is_ip = False
    if is_ip or "." not in host:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return f"{host}:{port}"
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "gouv", "org", "net", "ac", "edu", "gov", "asso"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def third_party_hosts(page_url: str, urls: list[str]) -> list[str]:
    own = site_key(page_url)
    hosts = []
    for url in urls:
        if not url.startswith(("http://", "https://", "ws://", "wss://")):
            continue
        if site_key(url) != own:
            netloc = urlsplit(url).netloc
            if netloc not in hosts:
                hosts.append(netloc)
    return hosts


def first_party_cookie(domain: str, page_url: str) -> bool:
    """Cookies ignore ports: the page's own host, its parents and its subdomains are first party."""
    host = (urlsplit(page_url).hostname or "").lower()
    domain = domain.lstrip(".").lower()
    if not domain or domain == host or host.endswith("." + domain) or domain.endswith("." + host):
        return True
    if "." in domain and "." in host and ":" not in site_key(f"http://{domain}"):
        return site_key(f"http://{domain}") == site_key(f"http://{host}")
    return False


def cookie_kind(cookie: dict, page_url: str) -> str:
    """'essential', 'tracker' (needs consent) or 'unknown'."""
    name = cookie.get("name", "")
    if not first_party_cookie(cookie.get("domain") or "", page_url):
        return "tracker"
    if ESSENTIAL.match(name):
        return "essential"
    if TRACKER.match(name):
        return "tracker"
    return "unknown"


def lifetime_days(cookie: dict, now: float | None = None) -> float | None:
    expires = cookie.get("expires", -1)
    if expires is None or expires < 0:
        return None
    return (expires - (now or time.time())) / 86400


def needs_consent(cookie: dict, page_url: str) -> tuple[bool, str]:
    """(needs consent, confidence): trackers surely; unknown long-lived cookies probably."""
    kind = cookie_kind(cookie, page_url)
    if kind == "tracker":
        return True, "high"
    days = lifetime_days(cookie)
    if kind == "unknown" and days is not None and days > 30:
        return True, "low"
    return False, ""


def describe_cookie(cookie: dict, _) -> str:
    days = lifetime_days(cookie)
    life = _("session") if days is None else _("{days} days").format(days=round(days))
    return f"{cookie.get('name')} ({cookie.get('domain')}, {life})"


# --- per page ------------------------------------------------------------------------------------

def page_issues(page: "PageData", _, check_notices: bool = True, check_banner: bool = True) -> list[Issue]:
    issues: list[Issue] = []
    url = page.url
    hosts = third_party_hosts(url, [r.url for r in page.requests])
    tracking = bool(hosts) or any(needs_consent(c, url)[0] for c in page.cookies)
    if check_banner and tracking and not page.facts.get("consent"):
        # Judged on the page itself: a visitor may land on any page first.
        issues.append(Issue(
            family="rgpd", rule="rgpd-no-consent-banner", severity="high", page=url,
            message=_("The page uses trackers or third-party services but offers no way to accept or refuse them."),
            help=_("Show a consent banner with « Tout accepter » and « Tout refuser » buttons before loading any tracker."),
            references=[FICHE_TRACKERS, ART_82]))
    if hosts:
        issues.append(Issue(
            family="rgpd", rule="rgpd-third-party-before-consent", severity="high", page=url,
            message=_("Before any consent, the page sends requests to third-party hosts: {hosts}.").format(hosts=", ".join(hosts)),
            help=_("Load third-party scripts, fonts, frames and pixels only after the visitor consents (or host the files yourself)."),
            references=[FICHE_TRACKERS, ART_82, "CWE-359"]))
    for cookie in page.cookies:
        needed, confidence = needs_consent(cookie, url)
        if needed:
            issues.append(Issue(
                family="rgpd", rule="rgpd-cookie-before-consent", severity="high" if confidence == "high" else "medium",
                page=url, confidence=confidence,
                message=_("Before any consent, a cookie that needs consent is set: {cookie}.").format(cookie=describe_cookie(cookie, _)),
                help=_("Set audience, advertising and social-network cookies only after the visitor accepts them."),
                references=[FICHE_TRACKERS, ART_82]))
        days = lifetime_days(cookie)
        if cookie_kind(cookie, url) != "essential" and days is not None and days > THIRTEEN_MONTHS_DAYS:
            issues.append(lifetime_issue(cookie, url, days, _))
    if check_notices and (page.status or 0) < 400:
        links = page.facts.get("links", [])
        if not any(LEGAL.search(link["text"]) or LEGAL_HREF.search(link["href"]) for link in links):
            issues.append(Issue(
                family="rgpd", rule="rgpd-legal-notice-link", severity="medium", page=url,
                message=_("No link to the legal notice (« mentions légales ») on this page."),
                help=_("Add a « Mentions légales » link to the footer of every page."), references=[LCEN]))
        if not any(PRIVACY.search(link["text"]) or PRIVACY_HREF.search(link["href"]) for link in links):
            issues.append(Issue(
                family="rgpd", rule="rgpd-privacy-notice-link", severity="medium", page=url,
                message=_("No link to the privacy notice (personal data) on this page."),
                help=_("Add a « Données personnelles » (or « Politique de confidentialité ») link to the footer of every page."),
                references=[FICHE_INFORM, "RGPD art. 13"]))
    return issues


def lifetime_issue(cookie: dict, url: str, days: float, _) -> Issue:
    return Issue(
        family="rgpd", rule="rgpd-cookie-lifetime", severity="medium", page=url,
        message=_("The cookie {cookie} lives {days} days: audience and tracking cookies must expire within 13 months.").format(
            cookie=cookie.get("name"), days=round(days)),
        help=_("Set Max-Age (or Expires) to 13 months at most (395 days) and do not extend it on each visit."),
        references=[FICHE_AUDIENCE, FICHE_TRACKERS])


def has_withdraw_control(page: "PageData") -> bool:
    return any(WITHDRAW.search(link["text"]) for link in page.facts.get("links", []))


# --- per site: the consent banner, refusal, withdrawal ---------------------------------------------

@dataclass
class Visit:
    requests: list[str] = field(default_factory=list)
    cookies: list[dict] = field(default_factory=list)


@dataclass
class ConsentReport:
    url: str
    banner: bool = False
    accept: dict | None = None
    refuse: dict | None = None
    refuse_clicks: int | None = None
    before: Visit = field(default_factory=Visit)
    after_refuse: Visit | None = None
    after_accept: Visit | None = None
    withdraw: str | None = None  # label of the control that reopened the choices
    withdraw_found: bool = False
    withdraw_works: bool = False
    notes: list[str] = field(default_factory=list)

    def as_metrics(self) -> dict:
        return {"url": self.url, "banner": self.banner, "accept": (self.accept or {}).get("label"),
                "refuse": (self.refuse or {}).get("label"), "refuse_clicks": self.refuse_clicks,
                "withdraw": self.withdraw, "withdraw_works": self.withdraw_works,
                "third_party_before": third_party_hosts(self.url, self.before.requests),
                "third_party_after_refuse": third_party_hosts(self.url, self.after_refuse.requests) if self.after_refuse else None,
                "third_party_after_accept": third_party_hosts(self.url, self.after_accept.requests) if self.after_accept else None,
                "notes": self.notes}


def _open(browser: "Browser", settings: "AuditSettings", url: str):
    from graders.web.collect import new_context

    context = new_context(browser, settings)
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    try:
        page.goto(url, wait_until="load")
    except Exception as exc:  # a slow page: its banner is judged as it stands at the time limit
        if "Timeout" not in type(exc).__name__:
            raise
    _quiet(page, seen)
    return context, page, seen


def _quiet(page: "Page", seen: list[str], budget_s: float = 1.5) -> None:
    deadline = time.monotonic() + budget_s
    count = -1
    while time.monotonic() < deadline and count != len(seen):
        count = len(seen)
        page.wait_for_timeout(150)


def _controls(page: "Page") -> list[dict]:
    try:
        return page.evaluate(probes.CONSENT_SCAN)
    except Exception:
        return []


def _click(page: "Page", control: dict) -> bool:
    try:
        handle = page.evaluate_handle(probes.CONTROL_HANDLE, control["index"])
        element = handle.as_element()
        if element is None:
            return False
        element.click(timeout=3000)
        page.wait_for_timeout(150)
        return True
    except Exception:
        return False


def _first(controls: list[dict], kind: str) -> dict | None:
    return next((c for c in controls if c["kind"] == kind), None)


def consent_flow(browser: "Browser", url: str, settings: "AuditSettings") -> ConsentReport:
    """Refuse in one fresh context, accept in another, then try to withdraw: what really happens."""
    report = ConsentReport(url=url)
    context, page, seen = _open(browser, settings, url)
    try:
        report.before = Visit(list(seen), context.cookies())
        controls = _controls(page)
        report.accept, report.refuse = _first(controls, "accept"), _first(controls, "refuse")
        report.banner = bool(report.accept or report.refuse)
        if report.refuse:
            report.refuse_clicks = 1
        elif report.accept:
            settings_button = _first(controls, "settings")
            if settings_button and _click(page, settings_button):
                second = _first(_controls(page), "refuse")
                if second:
                    report.refuse, report.refuse_clicks = second, 2
        if report.refuse and _click(page, report.refuse):
            seen.clear()
            page.reload(wait_until="load")
            _quiet(page, seen)
            report.after_refuse = Visit(list(seen), context.cookies())
    finally:
        context.close()
    if not report.accept:
        return report
    context, page, seen = _open(browser, settings, url)
    try:
        accept = _first(_controls(page), "accept")
        if accept and _click(page, accept):
            seen.clear()
            page.reload(wait_until="load")
            _quiet(page, seen)
            report.after_accept = Visit(list(seen), context.cookies())
            withdraw = page.evaluate(probes.WITHDRAW_SCAN)
            if withdraw:
                report.withdraw_found = True
                report.withdraw = withdraw[0]["label"]
                href = withdraw[0].get("href") or ""
                handle = page.evaluate_handle(probes.CONTROL_HANDLE, withdraw[0]["index"]).as_element()
                try:
                    if handle is not None:
                        handle.click(timeout=3000)
                        page.wait_for_load_state("load")
                        page.wait_for_timeout(200)
                except Exception:
                    if href and not href.startswith(("#", "javascript:")):
                        page.goto(urljoin(page.url, href), wait_until="load")
                report.withdraw_works = bool(_first(_controls(page), "refuse")) or page.evaluate(
                    "() => [...document.querySelectorAll('input[type=checkbox],[role=switch]')].some(e => e.getClientRects().length)")
    finally:
        context.close()
    return report


def site_issues(report: ConsentReport, pages: list["PageData"], _) -> list[Issue]:
    """Issues of a site's consent mechanism; `pages` are that site's audited pages (for withdrawal)."""
    issues: list[Issue] = []
    url = report.url
    accepted = report.after_accept
    if report.accept and not report.refuse:
        issues.append(Issue(
            family="rgpd", rule="rgpd-refusal-not-offered", severity="high", page=url,
            message=_("The consent banner offers « {accept} » but no way to refuse.").format(accept=report.accept["label"]),
            help=_("Put a « Tout refuser » button next to « Tout accepter », at the same level and with the same look."),
            references=[FICHE_TRACKERS, "CNIL délibération n° 2020-092"]))
    elif report.accept and report.refuse_clicks and report.refuse_clicks > 1:
        issues.append(Issue(
            family="rgpd", rule="rgpd-refusal-harder", severity="high", page=url,
            message=_("Refusing takes {refuse} clicks but accepting only 1: refusing must be as easy as accepting.").format(
                refuse=report.refuse_clicks),
            help=_("Put a « Tout refuser » button on the first layer of the banner, next to « Tout accepter »."),
            references=[FICHE_TRACKERS, "CNIL délibération n° 2020-092"]))
    elif report.accept and report.refuse:
        acc, ref = report.accept, report.refuse
        smaller = acc["area"] and ref["area"] < 0.5 * acc["area"]
        fainter = ref["fontSize"] < 0.8 * acc["fontSize"] or ref["opacity"] < 0.6
        if smaller or fainter:
            issues.append(Issue(
                family="rgpd", rule="rgpd-refusal-less-visible", severity="medium", page=url, confidence="medium",
                message=_("« {refuse} » is much less visible than « {accept} »: refusing must be as easy as accepting.").format(
                    refuse=ref["label"], accept=acc["label"]),
                help=_("Give the refusal button the same size and the same visual weight as the acceptance button."),
                references=[FICHE_TRACKERS, "CNIL délibération n° 2020-092"]))
    if report.after_refuse is not None:
        refused = report.after_refuse
        hosts = third_party_hosts(url, refused.requests)
        cookies = [describe_cookie(c, _) for c in refused.cookies if needs_consent(c, url)[0]]
        if hosts or cookies:
            what = ", ".join(hosts + cookies)
            issues.append(Issue(
                family="rgpd", rule="rgpd-refusal-ignored", severity="critical", page=url,
                message=_("After « {refuse} », trackers still run: {what}.").format(refuse=report.refuse["label"], what=what),
                help=_("When the visitor refuses, load no tracker and set no cookie that needs consent; remember the refusal."),
                references=[FICHE_TRACKERS, ART_82]))
    if accepted is not None:
        for cookie in accepted.cookies:
            days = lifetime_days(cookie)
            if cookie_kind(cookie, url) != "essential" and days is not None and days > THIRTEEN_MONTHS_DAYS:
                issues.append(lifetime_issue(cookie, url, days, _))
    if report.banner and report.accept:
        if not report.withdraw_found:
            issues.append(Issue(
                family="rgpd", rule="rgpd-no-withdrawal", severity="high", page=url,
                message=_("Once accepted, consent cannot be withdrawn: no link or button reopens the cookie choices."),
                help=_("Add a « Gérer les cookies » link on every page (e.g. in the footer) that reopens the consent choices."),
                references=[FICHE_TRACKERS]))
        elif not report.withdraw_works:
            issues.append(Issue(
                family="rgpd", rule="rgpd-no-withdrawal", severity="high", page=url,
                message=_("« {control} » does not let the visitor refuse again: consent cannot be withdrawn.").format(
                    control=report.withdraw),
                help=_("The « Gérer les cookies » link must reopen the choices, with a refusal button."),
                references=[FICHE_TRACKERS]))
        for page in pages:  # judged on each page's own evidence: a page that shows the banner
            if page.url != url and (page.status or 0) < 400 and "accept" in (page.facts.get("consent") or ()) \
                    and not has_withdraw_control(page):
                issues.append(Issue(
                    family="rgpd", rule="rgpd-withdrawal-link", severity="medium", page=page.url,
                    message=_("No link to manage cookies on this page: consent must be withdrawable from every page."),
                    help=_("Add the « Gérer les cookies » link to the footer shared by every page."),
                    references=[FICHE_TRACKERS]))
    return issues
