from fastapi import FastAPI

app = FastAPI()


@app.get("/echo")
def echo(message: str):
    return f"<div>{message}</div>"  # safe: CWE-79
