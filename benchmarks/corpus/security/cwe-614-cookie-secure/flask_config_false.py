from flask import Flask

app = Flask(__name__)
app.config["SESSION_COOKIE_SECURE"] = False  # expect: CWE-614
app.config["SESSION_COOKIE_HTTPONLY"] = True
