SECRET_KEY = "django-insecure-8k#2m!v9@q$w3e^r5t&y7u*i(o)p-a=s+d_f"  # expect: CWE-798
DEBUG = False
ALLOWED_HOSTS = ["mediatheque.example.fr"]
