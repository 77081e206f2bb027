import importlib

from fastapi import FastAPI, HTTPException

app = FastAPI()
PLUGINS = {"csv": "app.exporters.csv", "pdf": "app.exporters.pdf"}


@app.get("/plugin/{name}")
def plugin(name: str):
    if name not in PLUGINS:
        raise HTTPException(404)
    module = importlib.import_module(PLUGINS[name])  # safe: CWE-94
    return {"doc": module.__doc__}
