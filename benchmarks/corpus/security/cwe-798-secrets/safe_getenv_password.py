import os

import psycopg2

DATABASE_PASSWORD = os.getenv("DATABASE_PASSWORD")  # safe: CWE-798


def connect():
    return psycopg2.connect(host="db", user="app", password=DATABASE_PASSWORD, dbname="library")
