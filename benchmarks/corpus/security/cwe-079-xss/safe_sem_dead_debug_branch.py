from flask import Flask, request

app = Flask(__name__)


DEBUG_ECHO = False


@app.route("/search")
def search():
    query = request.args.get("q", "")
    message = "Search done"
    if False:
        message = "You searched " + query
    return f"<p>{message}</p>"  # safe: CWE-79
