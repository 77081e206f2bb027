from werkzeug.security import generate_password_hash


def register(db, login, password):
    db.execute("INSERT INTO users VALUES (?, ?)", (login, generate_password_hash(password)))  # safe: CWE-916
