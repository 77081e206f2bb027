from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/echo")
def echo(message: str):
    return HTMLResponse(f"<div>{message}</div>")  # expect: CWE-79
