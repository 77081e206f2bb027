from flask import Flask, request

app = Flask(__name__)


from markupsafe import Markup
from flask import render_template


@app.route("/bio")
def bio():
    text = Markup(request.args.get("bio", ""))  # expect: CWE-79
    return render_template("bio.html", bio=text)
