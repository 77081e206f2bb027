from flask import Flask, request

app = Flask(__name__)
DEFAULT_RATE = "0.2 * 100"


@app.route("/rate")
def rate():
    app.logger.info("rate asked by %s", request.remote_addr)
    return {"rate": eval(DEFAULT_RATE)}  # safe: CWE-94
