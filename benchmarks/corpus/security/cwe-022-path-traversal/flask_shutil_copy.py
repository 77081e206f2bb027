import shutil
from flask import Flask, request

app = Flask(__name__)


@app.route("/publish", methods=["POST"])
def publish():
    target = request.form["target"]
    shutil.copy("/srv/app/draft.html", target)  # expect: CWE-22
    return {"published": target}
