INSTALLED_APPS = ["django.contrib.sessions", "shop"]
SESSION_COOKIE_SECURE = True  # safe: CWE-614
CSRF_COOKIE_SECURE = True
