import importlib

from fastapi import FastAPI

app = FastAPI()


@app.get("/plugin/{name}")
def plugin(name: str):
    module = importlib.import_module(name)  # expect: CWE-94
    return {"doc": module.__doc__}
