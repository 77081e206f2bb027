import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/webhook-test")
def webhook_test(target: str):
    response = httpx.post(target, json={"ping": True})  # expect: CWE-918
    return {"status": response.status_code}
