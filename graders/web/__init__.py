"""Web audits of running pages: RGAA 4.1.2 accessibility, RGPD consent and notices (CNIL),
ANSSI browser-side hardening, and EcoIndex (RGESN).

- `cda audit URL...` (graders/web/command.py) audits any pages one can reach;
- the `web-audit` check (graders/checks/web_audit_check.py) starts a learner's application in the
  sandbox (graders/web/bridge.py) and audits it during grading.

Both share `graders.web.audit.run_audit(browser, urls, options, _)`: one browser for every page.
See docs/web-audits.md.
"""

FAMILIES = ("rgaa", "rgpd", "anssi", "eco")
