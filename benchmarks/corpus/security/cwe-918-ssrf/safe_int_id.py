import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/users/{user_id}")
def user(user_id: int):
    response = httpx.get(f"https://directory.example.fr/users/{user_id}")  # safe: CWE-918
    return response.json()
