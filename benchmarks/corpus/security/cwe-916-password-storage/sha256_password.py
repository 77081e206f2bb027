import hashlib


def store_password(db, user_id, password):
    digest = hashlib.sha256(password.encode()).hexdigest()  # expect: CWE-916
    db.execute("UPDATE users SET pw = ? WHERE id = ?", (digest, user_id))
