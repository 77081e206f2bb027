from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/download")
def download():
    path = request.args.get("file")
    return send_file("/srv/files/" + path)  # expect: CWE-22
