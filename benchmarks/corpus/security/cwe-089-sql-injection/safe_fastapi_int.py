from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .database import get_db

app = FastAPI()


@app.get("/items/{item_id}")
def item(item_id: int, db: Session = Depends(get_db)):
    row = db.execute(text(f"SELECT name FROM items WHERE id = {item_id}")).first()  # safe: CWE-89
    return {"name": row.name if row else None}
