import psycopg2

DATABASE_PASSWORD = "Tr0ub4dor&3-Mediatheque!"  # expect: CWE-798


def connect():
    return psycopg2.connect(host="db", user="app", password=DATABASE_PASSWORD, dbname="library")
