from flask import Flask, request
from itsdangerous import URLSafeSerializer

app = Flask(__name__)
serializer = URLSafeSerializer(app.config.get("SECRET_KEY", ""), salt="cart")


@app.route("/cart")
def cart():
    items = serializer.loads(request.cookies.get("cart", ""))  # safe: CWE-502
    return {"items": items}
