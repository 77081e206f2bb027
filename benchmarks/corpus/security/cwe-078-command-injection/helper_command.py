import subprocess

from flask import Flask, request

app = Flask(__name__)


def archive(name):
    subprocess.run("zip -r /tmp/out.zip " + name, shell=True, check=True)  # expect: CWE-78


@app.route("/archive", methods=["POST"])
def archive_view():
    archive(request.form["folder"])
    return {"ok": True}
