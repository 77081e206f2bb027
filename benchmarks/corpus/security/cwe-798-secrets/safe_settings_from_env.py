from decouple import config

SECRET_KEY = config("SECRET_KEY")  # safe: CWE-798
DEBUG = config("DEBUG", default=False, cast=bool)
