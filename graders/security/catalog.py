"""What each security rule means: CWE, family, severity, confidence, references and explanations.

One entry per rule id, whatever reports it (our semgrep rules, bandit tests we keep, detect-secrets,
pip-audit, hadolint and our Dockerfile rules). Texts are gettext msgids (English); `N_` marks them
for extraction and `_()` translates them when a finding is built. The explanation says what is
wrong and why, like a reviewer would; `fix` says how to do it right.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graders.i18n import N_

# Families: one CheckResult each in `cda scan`, and the `families` option of the `security` check.
FAMILIES = ("injection", "secrets", "crypto", "dependencies", "containers")
FAMILY_TITLES = {
    "injection": N_("Injections (taint analysis)"),
    "secrets": N_("Secrets in the code and its history"),
    "crypto": N_("Cryptography, authentication and configuration"),
    "dependencies": N_("Dependencies"),
    "containers": N_("Containers"),
}

# References that recur.
OWASP = {
    "A01": "OWASP A01:2021",
    "A02": "OWASP A02:2021",
    "A03": "OWASP A03:2021",
    "A04": "OWASP A04:2021",
    "A05": "OWASP A05:2021",
    "A06": "OWASP A06:2021",
    "A07": "OWASP A07:2021",
    "A08": "OWASP A08:2021",
    "A10": "OWASP A10:2021",
}
ANSSI_WEB = "ANSSI sécurisation des sites web (DAT-NT-009)"
ANSSI_PASSWORDS = "ANSSI authentification et mots de passe (2021)"
ANSSI_CRYPTO = "ANSSI sélection d'algorithmes cryptographiques (ANSSI-PA-079)"
ANSSI_TLS = "ANSSI recommandations TLS (ANSSI-PA-035)"
ANSSI_DOCKER = "ANSSI déploiement de conteneurs Docker (ANSSI-FT-082)"
CNIL_SECURITY = "CNIL fiche 6 (guide RGPD du développeur)"
CNIL_SOURCE = "CNIL fiche 4 (guide RGPD du développeur)"
CNIL_LIBRARIES = "CNIL fiche 9 (guide RGPD du développeur)"
CNIL_PASSWORDS = "CNIL recommandation mots de passe (délibération 2022-100)"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    family: str
    cwe: tuple[str, ...]
    severity: str
    confidence: str
    message: str
    fix: str
    refs: tuple[str, ...] = ()
    # Rules whose finding makes this one redundant in the same function (same flow, later sink).
    superseded_by: tuple[str, ...] = field(default=())
    # One finding per function for this rule (several sinks of one flow, as a token assigned then returned).
    one_per_function: bool = False
    # When superseded, keep the finding (it points at another line of the same flaw: where the SQL text is
    # built, before the line that executes it) but do not count its points twice.
    keep_when_superseded: bool = False

    def references(self) -> list[str]:
        return [*self.cwe, *self.refs]


_RULES: list[RuleInfo] = [
    # ------------------------------------------------------------------ injection (semgrep taint)
    RuleInfo(
        "sql-injection", "injection", ("CWE-89",), "high", "high",
        N_("SQL injection: a value the user controls reaches this SQL query as text, so they can "
           "rewrite the query (read other rows, bypass a login, drop a table)."),
        N_("Keep the query constant and pass values as bound parameters: "
           "cursor.execute(\"SELECT ... WHERE name = %s\", (name,)) (\"?\" with sqlite3), or use the ORM. "
           "Never build SQL with f-strings, % or +."),
        (OWASP["A03"], ANSSI_WEB, CNIL_SECURITY),
    ),
    RuleInfo(
        "sql-injection-string", "injection", ("CWE-89",), "high", "high",
        N_("SQL injection: this SQL statement is built by formatting a value the user controls into its text."),
        N_("Write the statement with placeholders and pass the values separately to execute(); "
           "identifiers (column, sort order) must come from a fixed allow-list."),
        (OWASP["A03"], ANSSI_WEB, CNIL_SECURITY),
        superseded_by=("sql-injection",),
        keep_when_superseded=True,
    ),
    RuleInfo(
        "sql-built-from-variable", "injection", ("CWE-89",), "high", "medium",
        N_("SQL built by formatting: a parameter of this function is pasted into the SQL text. "
           "Whoever calls the function with user input gets an injectable query."),
        N_("Use placeholders and bound parameters (cursor.execute(sql, params)) even for values you "
           "believe safe; for identifiers, check them against a fixed allow-list first."),
        (OWASP["A03"], ANSSI_WEB, CNIL_SECURITY),
        superseded_by=("sql-injection", "sql-injection-string"),
        keep_when_superseded=True,
    ),
    RuleInfo(
        "command-injection", "injection", ("CWE-78",), "high", "high",
        N_("OS command injection: a value the user controls reaches a shell command, so characters "
           "like ; | && or $( ) run commands of their choice on the server."),
        N_("Do not go through a shell: subprocess.run([\"ping\", \"-c\", \"1\", host], check=True) with a list "
           "and shell=False, after validating the value; if a shell is unavoidable, quote with shlex.quote()."),
        (OWASP["A03"], ANSSI_WEB),
    ),
    RuleInfo(
        "command-built-from-variable", "injection", ("CWE-78",), "high", "medium",
        N_("Shell command built by formatting: a parameter of this function is pasted into a command "
           "run by a shell."),
        N_("Pass the program and its arguments as a list with shell=False (subprocess.run([...])); "
           "validate the value and never let it start with '-'."),
        (OWASP["A03"], ANSSI_WEB),
        superseded_by=("command-injection",),
    ),
    RuleInfo(
        "path-traversal", "injection", ("CWE-22",), "high", "high",
        N_("Path traversal: a file name the user controls is used to open, write or delete a file, so "
           "'../../etc/passwd' or an absolute path reaches files outside the intended folder."),
        N_("Keep only a safe name (werkzeug.utils.secure_filename() or os.path.basename()), or resolve the "
           "path and check it stays inside the base folder (Path.resolve().is_relative_to(base)); "
           "Flask's send_from_directory() does this for you."),
        (OWASP["A01"], ANSSI_WEB),
    ),
    RuleInfo(
        "xss-reflected", "injection", ("CWE-79",), "high", "high",
        N_("Cross-site scripting (XSS): a value the user controls is put into an HTML response without "
           "escaping, so a link can run JavaScript in the victim's session."),
        N_("Render HTML through a template with autoescaping (render_template, Django templates), or "
           "escape the value with markupsafe.escape() / html.escape(); never wrap user input in Markup() "
           "or mark_safe()."),
        (OWASP["A03"], ANSSI_WEB, CNIL_SECURITY),
    ),
    RuleInfo(
        "xss-returned", "injection", ("CWE-79",), "high", "high",
        N_("Cross-site scripting (XSS): this view returns text containing a value the user controls; "
           "Flask sends it as text/html without escaping it."),
        N_("Return render_template(...) (autoescaped) or jsonify(...) for data; if you build HTML by "
           "hand, escape every value with markupsafe.escape()."),
        (OWASP["A03"], ANSSI_WEB, CNIL_SECURITY),
        superseded_by=("xss-reflected",),
    ),
    RuleInfo(
        "open-redirect", "injection", ("CWE-601",), "medium", "high",
        N_("Open redirect: the redirect target comes from the request, so a link to your site can send "
           "users to a phishing site that looks legitimate."),
        N_("Redirect to url_for(...) of a known route, or accept only relative paths checked with "
           "url_has_allowed_host_and_scheme() (Django) / urlparse() (empty netloc and scheme)."),
        (OWASP["A01"], ANSSI_WEB),
    ),
    RuleInfo(
        "code-injection", "injection", ("CWE-94", "CWE-95"), "critical", "high",
        N_("Code injection: a value the user controls is evaluated as Python code (eval, exec, compile, "
           "dynamic import): they can run anything the application can."),
        N_("Never evaluate user input. Parse data with json.loads() or ast.literal_eval(), and map "
           "allowed choices with a dictionary of functions."),
        (OWASP["A03"], ANSSI_WEB),
    ),
    RuleInfo(
        "template-injection", "injection", ("CWE-1336", "CWE-94"), "critical", "high",
        N_("Server-side template injection: a value the user controls becomes template source code; "
           "Jinja2 expressions like {{ ... }} then run on the server."),
        N_("Keep templates constant and pass user data as variables: "
           "render_template_string(\"Hello {{ name }}\", name=name), or better a template file."),
        (OWASP["A03"], ANSSI_WEB),
    ),
    RuleInfo(
        "code-built-from-variable", "injection", ("CWE-95",), "high", "medium",
        N_("Dynamic evaluation: a parameter of this function is evaluated as Python code with eval()/exec()."),
        N_("Replace eval()/exec() with a parser (json.loads, ast.literal_eval) or a dictionary of allowed operations."),
        (OWASP["A03"],),
        superseded_by=("code-injection",),
    ),
    RuleInfo(
        "unsafe-deserialization", "injection", ("CWE-502",), "critical", "high",
        N_("Unsafe deserialisation: data the user controls is loaded with pickle, marshal, "
           "yaml.load or a similar loader, which can build arbitrary objects and run code."),
        N_("Exchange data as JSON (json.loads) or load YAML with yaml.safe_load(); if you must "
           "deserialise objects, sign the data (hmac) and check the signature first."),
        (OWASP["A08"], ANSSI_WEB),
    ),
    RuleInfo(
        "xxe", "injection", ("CWE-611",), "high", "high",
        N_("XML external entities (XXE): XML the user controls is parsed with external entities "
           "enabled, so a document can read server files or reach internal URLs."),
        N_("Parse untrusted XML with defusedxml, or an lxml parser built with "
           "XMLParser(resolve_entities=False, no_network=True); never enable feature_external_ges."),
        (OWASP["A05"], ANSSI_WEB),
    ),
    RuleInfo(
        "xxe-entities-enabled", "injection", ("CWE-611",), "high", "medium",
        N_("XML external entities (XXE): this parser resolves external entities, and the document it "
           "parses is not a constant; whoever writes that document can read server files or reach internal URLs."),
        N_("Parse with defusedxml (defusedxml.ElementTree, defusedxml.sax, defusedxml.lxml), or build the lxml "
           "parser with resolve_entities=False, no_network=True; leave SAX's external-entity features off."),
        (OWASP["A05"], ANSSI_WEB),
        superseded_by=("xxe",),
    ),
    RuleInfo(
        "xxe-lxml-default", "injection", ("CWE-611",), "high", "medium",
        N_("XML external entities (XXE): XML the user controls is parsed by lxml's default parser, "
           "which resolves entities in lxml versions before 5.0."),
        N_("Use defusedxml, or pass an explicit parser: "
           "etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))."),
        (OWASP["A05"], ANSSI_WEB),
        superseded_by=("xxe",),
    ),
    RuleInfo(
        "ldap-injection", "injection", ("CWE-90",), "high", "high",
        N_("LDAP injection: a value the user controls is pasted into an LDAP filter or DN, so characters "
           "like * ( ) | & change the search (list every user, bypass authentication)."),
        N_("Escape values with ldap.filter.escape_filter_chars() (ldap3: escape_filter_chars) or build "
           "the filter with ldap.filter.filter_format()."),
        (OWASP["A03"], ANSSI_WEB),
    ),
    RuleInfo(
        "xpath-injection", "injection", ("CWE-643",), "high", "high",
        N_("XPath injection: a value the user controls is pasted into an XPath expression, so quotes "
           "and operators change the query."),
        N_("Use XPath variables: tree.xpath(\"//user[@name=$name]\", name=value) with lxml, "
           "instead of building the expression as text."),
        (OWASP["A03"], ANSSI_WEB),
    ),
    RuleInfo(
        "ssrf", "injection", ("CWE-918",), "high", "high",
        N_("Server-side request forgery (SSRF): the server fetches a URL the user controls, which can "
           "reach internal services or cloud metadata."),
        N_("Let the user choose among known destinations (allow-list of hosts), build the URL on a fixed "
           "origin, and refuse private or local addresses."),
        (OWASP["A10"], ANSSI_WEB),
    ),
    RuleInfo(
        "trust-boundary", "injection", ("CWE-501",), "low", "medium",
        N_("Trust boundary: a value straight from the request is stored in the session, where the rest "
           "of the application will treat it as trusted."),
        N_("Validate the value before storing it, and keep in the session only what the server itself "
           "established (the authenticated user's id after checking the password, for instance)."),
        (OWASP["A04"],),
    ),
    # ------------------------------------------------------------------ crypto, auth, configuration
    RuleInfo(
        "weak-hash", "crypto", ("CWE-328",), "medium", "high",
        N_("Weak hash function: MD5 and SHA-1 are broken (collisions can be computed); they must not "
           "protect integrity, signatures or passwords."),
        N_("Use hashlib.sha256() or SHA-3 for integrity, HMAC for authenticity, and a password hashing "
           "function (Argon2, scrypt, bcrypt, PBKDF2) for passwords. For a non-security checksum, say "
           "so with usedforsecurity=False."),
        (OWASP["A02"], ANSSI_CRYPTO),
    ),
    RuleInfo(
        "password-fast-hash", "crypto", ("CWE-916", "CWE-759"), "high", "medium",
        N_("Password hashed with a fast hash: a plain MD5/SHA-1/SHA-256 of a password is cracked by "
           "the billion per second once the database leaks."),
        N_("Store passwords with a slow salted function: argon2-cffi (PasswordHasher), bcrypt, "
           "hashlib.scrypt, or PBKDF2 with at least 600,000 iterations (werkzeug "
           "generate_password_hash() and Django's make_password() do this)."),
        (OWASP["A02"], CNIL_PASSWORDS, ANSSI_PASSWORDS, CNIL_SECURITY),
    ),
    RuleInfo(
        "password-weak-scheme", "crypto", ("CWE-916",), "high", "high",
        N_("Weak password hashing scheme: this method (plain, MD5, SHA-1, a single salted SHA round, "
           "crypt) does not slow down password cracking."),
        N_("Keep the library default (werkzeug: scrypt or pbkdf2, Django: PBKDF2 or Argon2) or choose "
           "Argon2id / bcrypt explicitly."),
        (OWASP["A02"], CNIL_PASSWORDS, ANSSI_PASSWORDS),
    ),
    RuleInfo(
        "pbkdf2-iterations-too-low", "crypto", ("CWE-916",), "medium", "high",
        N_("Too few PBKDF2 iterations: under 100,000 iterations a leaked hash is cheap to crack."),
        N_("Use at least 600,000 iterations for PBKDF2-HMAC-SHA256 (OWASP 2023), or switch to Argon2id or scrypt."),
        (OWASP["A02"], CNIL_PASSWORDS, ANSSI_PASSWORDS),
    ),
    RuleInfo(
        "bcrypt-cost-too-low", "crypto", ("CWE-916",), "low", "high",
        N_("bcrypt cost below 10: each guess is cheap for an attacker."),
        N_("Keep bcrypt.gensalt()'s default cost (12) or higher."),
        (OWASP["A02"], CNIL_PASSWORDS),
    ),
    RuleInfo(
        "password-hash-constant-salt", "crypto", ("CWE-760",), "medium", "high",
        N_("Constant salt: the same salt for every password lets an attacker crack all of them at once "
           "and spot users who share a password."),
        N_("Draw a new random salt for each password (os.urandom(16) or secrets.token_bytes(16)) and "
           "store it next to the hash, or let argon2/bcrypt handle the salt."),
        (OWASP["A02"], CNIL_PASSWORDS),
    ),
    RuleInfo(
        "weak-random-token", "crypto", ("CWE-330", "CWE-338"), "high", "high",
        N_("Predictable secret: this token, password or identifier comes from the random module, whose "
           "output can be predicted from a few observed values."),
        N_("Generate secrets with the secrets module: secrets.token_urlsafe(32), secrets.token_hex(), "
           "secrets.choice()."),
        (OWASP["A02"], ANSSI_CRYPTO),
        one_per_function=True,
    ),
    RuleInfo(
        "weak-random", "crypto", ("CWE-330",), "low", "low",
        N_("The random module is not suitable for security: fine for games or simulations, but not for "
           "tokens, passwords, salts or identifiers."),
        N_("If this value protects anything, use the secrets module (secrets.token_urlsafe, secrets.choice)."),
        (OWASP["A02"],),
        superseded_by=("weak-random-token",),
    ),
    RuleInfo(
        "tls-verification-disabled", "crypto", ("CWE-295",), "high", "high",
        N_("TLS certificate verification disabled: anyone on the network path can impersonate the server "
           "and read or change the traffic."),
        N_("Keep verification on (the default); for an internal CA pass its bundle: "
           "requests.get(url, verify=\"/path/ca.pem\")."),
        (OWASP["A02"], ANSSI_TLS, CNIL_SECURITY),
    ),
    RuleInfo(
        "tls-old-protocol", "crypto", ("CWE-326", "CWE-327"), "medium", "high",
        N_("Obsolete SSL/TLS version: SSLv2, SSLv3, TLS 1.0 and 1.1 have known attacks."),
        N_("Use ssl.create_default_context() and require TLS 1.2 or later "
           "(context.minimum_version = ssl.TLSVersion.TLSv1_2)."),
        (OWASP["A02"], ANSSI_TLS),
    ),
    RuleInfo(
        "cleartext-http-credentials", "crypto", ("CWE-319",), "medium", "medium",
        N_("Credentials sent in clear text: this connection (http://, FTP, Telnet, SMTP without TLS) "
           "exposes them to anyone on the network."),
        N_("Use the TLS variant (https://, FTPS/SFTP, SSH, SMTP with starttls()) before sending credentials."),
        (OWASP["A02"], ANSSI_TLS, CNIL_SECURITY),
    ),
    RuleInfo(
        "jwt-signature-not-verified", "crypto", ("CWE-347",), "high", "high",
        N_("JWT signature not verified (or algorithm 'none'): anyone can forge a token and impersonate any user."),
        N_("Always verify: jwt.decode(token, key, algorithms=[\"HS256\"]) with an explicit list of algorithms."),
        (OWASP["A02"], ANSSI_CRYPTO),
    ),
    RuleInfo(
        "cookie-without-secure", "crypto", ("CWE-614",), "medium", "high",
        N_("Cookie without the Secure flag: the browser also sends it over plain HTTP, where it can be read."),
        N_("Set secure=True (and httponly=True, samesite=\"Lax\") in set_cookie()."),
        (OWASP["A05"], CNIL_SECURITY, ANSSI_WEB),
    ),
    RuleInfo(
        "cookie-without-httponly", "crypto", ("CWE-1004",), "low", "high",
        N_("Cookie without the HttpOnly flag: JavaScript on the page (an XSS, a third-party script) can read it."),
        N_("Set httponly=True in set_cookie() unless the front-end really needs to read this cookie."),
        (OWASP["A05"], CNIL_SECURITY, ANSSI_WEB),
    ),
    RuleInfo(
        "session-cookie-insecure-setting", "crypto", ("CWE-614", "CWE-1004"), "medium", "high",
        N_("Session cookie protection switched off in the settings (Secure or HttpOnly set to False)."),
        N_("In production set SESSION_COOKIE_SECURE = True and SESSION_COOKIE_HTTPONLY = True "
           "(CSRF_COOKIE_SECURE = True with Django)."),
        (OWASP["A05"], CNIL_SECURITY, ANSSI_WEB),
    ),
    RuleInfo(
        "session-cookie-samesite-none", "crypto", ("CWE-1275",), "low", "high",
        N_("Session cookie with SameSite=None: the browser sends it with cross-site requests, which helps CSRF."),
        N_("Use SESSION_COOKIE_SAMESITE = \"Lax\" (or \"Strict\")."),
        (OWASP["A01"], ANSSI_WEB),
    ),
    RuleInfo(
        "flask-session-cookie-defaults", "crypto", ("CWE-614", "CWE-1275"), "low", "medium",
        N_("This Flask application uses sessions but never sets SESSION_COOKIE_SECURE (False by default) "
           "nor SESSION_COOKIE_SAMESITE (unset by default)."),
        N_("In the production configuration set SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True "
           "and SESSION_COOKIE_SAMESITE=\"Lax\"."),
        (OWASP["A05"], CNIL_SECURITY, ANSSI_WEB),
    ),
    RuleInfo(
        "django-session-cookie-defaults", "crypto", ("CWE-614",), "low", "medium",
        N_("These Django settings never set SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE (False by default): "
           "session and CSRF cookies also travel over plain HTTP."),
        N_("In the production settings set SESSION_COOKIE_SECURE = True and CSRF_COOKIE_SECURE = True "
           "(`manage.py check --deploy` lists the others)."),
        (OWASP["A05"], CNIL_SECURITY, ANSSI_WEB),
    ),
    RuleInfo(
        "debug-enabled", "crypto", ("CWE-489", "CWE-215"), "medium", "high",
        N_("Debug mode enabled: the Werkzeug/Django debugger shows code and settings, and Werkzeug's "
           "console runs Python for whoever reaches it."),
        N_("Read the debug flag from the environment (FLASK_DEBUG, DJANGO_DEBUG) and keep it off in production."),
        (OWASP["A05"], ANSSI_WEB),
    ),
    RuleInfo(
        "csrf-protection-disabled", "crypto", ("CWE-352",), "medium", "high",
        N_("CSRF protection disabled: another site can make a logged-in user submit this form or call this view."),
        N_("Keep CSRF protection on (Flask-WTF CSRFProtect, Django's CsrfViewMiddleware) and send the "
           "token with forms and AJAX calls."),
        (OWASP["A01"], ANSSI_WEB),
    ),
    RuleInfo(
        "cors-allow-all-with-credentials", "crypto", ("CWE-942",), "medium", "high",
        N_("CORS open to every origin: any site can call this API from the browser of a logged-in user."),
        N_("List the allowed origins explicitly (origins=[\"https://app.example.fr\"]) when credentials are allowed."),
        (OWASP["A05"], ANSSI_WEB),
    ),
    # bandit tests we keep (mapped to our own explanations)
    RuleInfo(
        "weak-cipher", "crypto", ("CWE-327",), "high", "high",
        N_("Weak or broken cipher or mode (DES, RC4, Blowfish, ECB...): the encrypted data can be recovered or tampered with."),
        N_("Use authenticated encryption: AES-GCM or ChaCha20-Poly1305 (cryptography's AESGCM, or Fernet)."),
        (OWASP["A02"], ANSSI_CRYPTO),
    ),
    RuleInfo(
        "weak-key-size", "crypto", ("CWE-326",), "high", "high",
        N_("Key too short: RSA/DSA keys under 2048 bits and EC keys under 224 bits can be broken."),
        N_("Use RSA 3072 bits or more, or an elliptic curve such as P-256 or Ed25519."),
        (OWASP["A02"], ANSSI_CRYPTO),
    ),
    RuleInfo(
        "insecure-temp-file", "crypto", ("CWE-377",), "medium", "medium",
        N_("Predictable temporary file: another local user can create or replace it before the program does."),
        N_("Use tempfile.NamedTemporaryFile() or tempfile.mkstemp(), never tempfile.mktemp() or a fixed /tmp path."),
        (OWASP["A01"],),
    ),
    RuleInfo(
        "permissive-file-permissions", "crypto", ("CWE-732",), "medium", "high",
        N_("File made writable or readable by everyone."),
        N_("Give only the permissions needed, 0o600 for secrets and 0o644 for ordinary files."),
        (OWASP["A01"],),
    ),
    RuleInfo(
        "archive-extraction", "crypto", ("CWE-22",), "medium", "medium",
        N_("Archive extracted without checking member names: an entry named ../../something writes outside the folder."),
        N_("Python 3.12+: tar.extractall(path, filter=\"data\"); otherwise check each member's resolved "
           "path stays inside the target folder before extracting it."),
        (OWASP["A01"],),
    ),
    RuleInfo(
        "template-autoescape-disabled", "crypto", ("CWE-79",), "high", "high",
        N_("Template autoescaping disabled: every variable rendered in HTML becomes an XSS if it contains user input."),
        N_("Create the Jinja2 environment with autoescape=select_autoescape() (or True)."),
        (OWASP["A03"], ANSSI_WEB),
    ),
    RuleInfo(
        "template-safe-filter", "crypto", ("CWE-79",), "medium", "medium",
        N_("Template output marked safe (|safe or autoescape off): if the value can contain user input, it is an XSS."),
        N_("Remove |safe and let the template escape the value; if the HTML must be kept, clean it first "
           "(bleach/nh3 with an allow-list of tags)."),
        (OWASP["A03"], ANSSI_WEB),
    ),
    RuleInfo(
        "ssh-host-key-not-verified", "crypto", ("CWE-295",), "medium", "high",
        N_("SSH host key not verified: the first server to answer is trusted, so a man in the middle goes unnoticed."),
        N_("Load known hosts (client.load_system_host_keys()) and keep the RejectPolicy."),
        (OWASP["A02"], ANSSI_TLS),
    ),
    RuleInfo(
        "insecure-protocol-library", "crypto", ("CWE-319",), "low", "medium",
        N_("Clear-text protocol (Telnet, FTP, XML-RPC over HTTP...): credentials and data travel unencrypted."),
        N_("Prefer SSH/SFTP or HTTPS equivalents."),
        (OWASP["A02"],),
    ),
    RuleInfo(
        "bandit", "crypto", (), "medium", "medium",
        N_("Security weakness reported by bandit."),
        N_("Read the bandit documentation of this test and fix the code rather than silencing it: "
           "`# nosec` comments are ignored by the grader."),
        (),
    ),
    # ------------------------------------------------------------------ secrets
    RuleInfo(
        "hardcoded-secret-key", "secrets", ("CWE-798", "CWE-321"), "high", "high",
        N_("Secret key written in the code: whoever reads the repository can sign session cookies or "
           "tokens and log in as any user."),
        N_("Read it from the environment (os.environ[\"SECRET_KEY\"]) or a secrets manager, keep it out "
           "of git (.env in .gitignore), and generate a new one since this one is exposed."),
        (OWASP["A07"], CNIL_SOURCE, ANSSI_WEB),
    ),
    RuleInfo(
        "hardcoded-secret-fallback", "secrets", ("CWE-798",), "medium", "high",
        N_("Secret with a default value in the code: when the environment variable is missing the "
           "application silently runs with this known secret."),
        N_("Fail when the variable is missing (os.environ[\"NAME\"]) instead of falling back to a value written in the code."),
        (OWASP["A07"], CNIL_SOURCE),
    ),
    RuleInfo(
        "secret-in-code", "secrets", ("CWE-798",), "high", "high",
        N_("Secret committed in the code: credentials, keys and tokens in a repository leak with every copy of it."),
        N_("Move it to an environment variable or a secrets manager, revoke it and issue a new one: "
           "removing it from the file is not enough once it has been committed."),
        (OWASP["A07"], CNIL_SOURCE),
    ),
    RuleInfo(
        "secret-in-history", "secrets", ("CWE-798", "CWE-540"), "high", "high",
        N_("Secret in the git history: it was committed in the past and can still be read in the history, "
           "even if the current files no longer contain it."),
        N_("Revoke the secret and issue a new one; then rewrite the history (git filter-repo) if the "
           "repository is shared."),
        (OWASP["A07"], CNIL_SOURCE),
    ),
    RuleInfo(
        "secret-placeholder", "secrets", (), "info", "medium",
        N_("Placeholder where a secret goes: not a leak, but make sure the real value comes from the "
           "environment and that the application refuses to start with this one."),
        N_("Read the value from the environment and fail at start-up if it is missing or still the placeholder."),
        (CNIL_SOURCE,),
        superseded_by=("hardcoded-secret-key", "hardcoded-secret-fallback", "secret-in-code"),
    ),
    # ------------------------------------------------------------------ dependencies
    RuleInfo(
        "vulnerable-dependency", "dependencies", ("CWE-1395",), "high", "high",
        N_("Dependency with a known vulnerability."),
        N_("Upgrade to a fixed version and re-run the tests; watch advisories (pip-audit, Dependabot)."),
        (OWASP["A06"], CNIL_LIBRARIES),
    ),
    RuleInfo(
        "dependencies-not-checked", "dependencies", (), "info", "high",
        N_("Dependencies NOT checked for known vulnerabilities: no vulnerability database was reachable. "
           "This is not a pass."),
        N_("Run `pip-audit -r requirements.txt` on a machine with Internet access, or in CI."),
        (OWASP["A06"], CNIL_LIBRARIES),
    ),
    RuleInfo(
        "dependency-unpinned", "dependencies", ("CWE-1104",), "info", "high",
        N_("Dependency without a pinned version: builds are not reproducible and this version cannot be "
           "checked against vulnerability databases."),
        N_("Pin exact versions (requirements.txt with ==, or a lock file: pip-compile, uv lock, poetry.lock)."),
        (OWASP["A06"], CNIL_LIBRARIES),
    ),
    # ------------------------------------------------------------------ containers
    RuleInfo(
        "docker-root-user", "containers", ("CWE-250",), "medium", "high",
        N_("The container runs as root: a flaw in the application gives root inside the container, one step from the host."),
        N_("Create an unprivileged user and switch to it before CMD: "
           "RUN useradd --create-home app and USER app (or a numeric UID)."),
        (OWASP["A05"], ANSSI_DOCKER),
    ),
    RuleInfo(
        "docker-unpinned-image", "containers", ("CWE-1357",), "low", "high",
        N_("Base image not pinned (no tag or 'latest'): each build may pull a different, unreviewed image."),
        N_("Pin a precise tag, ideally with its digest: FROM python:3.12-slim@sha256:..."),
        (OWASP["A08"], ANSSI_DOCKER),
    ),
    RuleInfo(
        "docker-secret-in-layer", "containers", ("CWE-798", "CWE-538"), "high", "high",
        N_("Secret in an image layer: ENV and ARG values are stored in the image and shown by `docker history`."),
        N_("Pass secrets at run time (environment, Docker secrets) or at build time with "
           "RUN --mount=type=secret, never with ENV or ARG."),
        (OWASP["A05"], ANSSI_DOCKER, CNIL_SOURCE),
    ),
    RuleInfo(
        "docker-add-url", "containers", ("CWE-494",), "medium", "high",
        N_("ADD from a URL: the file is downloaded without any integrity check into the image."),
        N_("Download with curl in a RUN step and check a known checksum (sha256sum -c), or use ADD --checksum=sha256:..."),
        (OWASP["A08"], ANSSI_DOCKER),
    ),
    RuleInfo(
        "docker-pipe-to-shell", "containers", ("CWE-494",), "medium", "high",
        N_("A script downloaded with curl/wget is piped straight into a shell: whatever the server sends runs in the build."),
        N_("Download to a file, verify its checksum or signature, then run it."),
        (OWASP["A08"], ANSSI_DOCKER),
    ),
    RuleInfo(
        "docker-no-healthcheck", "containers", (), "low", "high",
        N_("No HEALTHCHECK: the orchestrator cannot tell that the application has stopped answering."),
        N_("Add a HEALTHCHECK that calls a lightweight endpoint, e.g. "
           "HEALTHCHECK CMD python -c \"import urllib.request; urllib.request.urlopen('http://localhost:8000/health')\""),
        (ANSSI_DOCKER,),
    ),
    RuleInfo(
        "compose-privileged", "containers", ("CWE-250",), "high", "high",
        N_("Privileged container: it has every capability and access to the host's devices; escaping it is trivial."),
        N_("Remove privileged: true and grant only the capabilities needed (cap_add), or none."),
        (OWASP["A05"], ANSSI_DOCKER),
    ),
    RuleInfo(
        "compose-docker-socket", "containers", ("CWE-250",), "high", "high",
        N_("The Docker socket is mounted in a container: whoever controls that container controls the host."),
        N_("Do not mount /var/run/docker.sock; if a tool really needs the Docker API, put a filtering proxy in front of it."),
        (OWASP["A05"], ANSSI_DOCKER),
    ),
    RuleInfo(
        "hadolint", "containers", (), "low", "high",
        N_("Dockerfile best practice (hadolint)."),
        N_("See the hadolint documentation of this rule."),
        (ANSSI_DOCKER,),
    ),
    # ------------------------------------------------------------------ the scan itself
    RuleInfo(
        "scan-error", "injection", (), "medium", "high",
        N_("Part of the code could not be analysed."),
        N_("Check that the file is valid Python (or Dockerfile) and re-run the scan."),
        (),
    ),
    RuleInfo(
        "python-not-checked", "crypto", (), "low", "high",
        N_("This file was NOT checked by bandit: the Python that runs it cannot parse the file."),
        N_("Check that the file is valid Python. If it uses syntax newer than the analyser's Python, "
           "install a newer Python and run `make analysers` so that the grader uses it."),
        (),
    ),
]

RULES: dict[str, RuleInfo] = {rule.id: rule for rule in _RULES}

# bandit tests kept, and what they become. Tests not listed are dropped: injection-style pattern
# matches (B102, B301-B320, B602-B611...) are covered precisely by the taint rules.
BANDIT_TESTS: dict[str, str] = {
    "B303": "weak-hash",
    "B324": "weak-hash",
    "B311": "weak-random",
    "B501": "tls-verification-disabled",
    "B323": "tls-verification-disabled",
    "B502": "tls-old-protocol",
    "B503": "tls-old-protocol",
    "B504": "tls-old-protocol",
    "B507": "ssh-host-key-not-verified",
    "B304": "weak-cipher",
    "B305": "weak-cipher",
    "B413": "weak-cipher",
    "B505": "weak-key-size",
    "B201": "debug-enabled",
    "B108": "insecure-temp-file",
    "B306": "insecure-temp-file",
    "B103": "permissive-file-permissions",
    "B202": "archive-extraction",
    "B701": "template-autoescape-disabled",
    "B702": "template-autoescape-disabled",
    "B312": "insecure-protocol-library",
    "B321": "insecure-protocol-library",
    "B401": "insecure-protocol-library",
    "B402": "insecure-protocol-library",
    "B411": "insecure-protocol-library",
    "B506": "unsafe-deserialization",
    "B614": "unsafe-deserialization",
}
# bandit's yaml.load / torch.load without a tainted source: a real weakness, but lower confidence.
BANDIT_DEMOTED = {"B506": ("medium", "medium"), "B614": ("medium", "medium"),
                  # B108 flags every "/tmp" string, including paths inside containers and sandboxes.
                  "B108": ("low", "low")}

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
CONFIDENCE_RANK = {"low": 1, "medium": 2, "high": 3}


def rule(rule_id: str) -> RuleInfo:
    return RULES[rule_id]


def cwes_of(references: list[str]) -> set[str]:
    return {ref for ref in references if ref.startswith("CWE-")}
