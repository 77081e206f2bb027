from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from .database import get_db

app = FastAPI()


@app.get("/items/{category}")
def items(category: str, db: Session = Depends(get_db)):
    rows = db.execute(text(f"SELECT name FROM items WHERE category = '{category}'"))  # expect: CWE-89
    return [r.name for r in rows]
