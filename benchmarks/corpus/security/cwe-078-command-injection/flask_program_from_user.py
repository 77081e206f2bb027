import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/tool")
def tool():
    program = request.args["program"]
    result = subprocess.run([program, "--version"], capture_output=True, text=True)  # expect: CWE-78
    return {"version": result.stdout}
