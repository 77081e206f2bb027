from fastapi import FastAPI, Response

app = FastAPI()


@app.post("/login")
def login(response: Response):
    response.set_cookie(key="access_token", value="token", httponly=True)  # expect: CWE-614
    return {"ok": True}
