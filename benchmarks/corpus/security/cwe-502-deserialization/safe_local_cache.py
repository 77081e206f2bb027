import pickle

from flask import Flask, request

app = Flask(__name__)
CACHE = "/var/cache/app/model.pkl"


@app.route("/predict")
def predict():
    with open(CACHE, "rb") as handle:
        model = pickle.load(handle)  # safe: CWE-502
    return {"score": model.predict([[float(request.args["x"])]])[0]}
