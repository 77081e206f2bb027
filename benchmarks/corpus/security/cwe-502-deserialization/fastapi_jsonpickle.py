import jsonpickle
from fastapi import FastAPI

app = FastAPI()


@app.post("/objects")
def objects(payload: str):
    obj = jsonpickle.decode(payload)  # expect: CWE-502
    return {"type": type(obj).__name__}
