from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/out")
def outbound(url: str):
    return RedirectResponse(url)  # expect: CWE-601
