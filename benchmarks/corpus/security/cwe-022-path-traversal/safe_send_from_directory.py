from flask import Flask, request, send_from_directory

app = Flask(__name__)


@app.route("/download")
def download():
    path = request.args.get("file")
    return send_from_directory("/srv/files", path)  # safe: CWE-22
