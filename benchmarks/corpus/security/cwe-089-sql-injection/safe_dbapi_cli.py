import sys

import psycopg2


def main():
    customer = sys.argv[1]
    conn = psycopg2.connect("dbname=crm")
    cur = conn.cursor()
    cur.execute("DELETE FROM customers WHERE name = %s", (customer,))  # safe: CWE-89
    conn.commit()


if __name__ == "__main__":
    main()
