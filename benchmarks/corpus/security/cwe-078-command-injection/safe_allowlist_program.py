import subprocess
from flask import Flask, abort, request

app = Flask(__name__)
TOOLS = {"git", "python3", "node"}


@app.route("/tool")
def tool():
    program = request.args["program"]
    if program not in TOOLS:
        abort(400)
    result = subprocess.run([program, "--version"], capture_output=True, text=True)  # safe: CWE-78
    return {"version": result.stdout}
