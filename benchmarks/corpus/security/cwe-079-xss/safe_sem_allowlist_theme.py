from flask import Flask, request

app = Flask(__name__)


THEMES = {"light", "dark"}


@app.route("/theme")
def theme():
    name = request.args.get("t", "light")
    if name not in THEMES:
        name = "light"
    return f"<body class='{name}'>ok</body>"  # safe: CWE-79
