import asyncio

from fastapi import FastAPI

app = FastAPI()


@app.get("/trace/{host}")
async def trace(host: str):
    proc = await asyncio.create_subprocess_exec("traceroute", host, stdout=asyncio.subprocess.PIPE)  # safe: CWE-78
    out, _ = await proc.communicate()
    return {"trace": out.decode()}
