from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    return render_template_string("<p>Bonjour " + name + "</p>")  # expect: CWE-94
