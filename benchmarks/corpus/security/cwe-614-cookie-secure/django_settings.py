INSTALLED_APPS = ["django.contrib.sessions", "shop"]
SESSION_COOKIE_SECURE = False  # expect: CWE-614
CSRF_COOKIE_SECURE = True
