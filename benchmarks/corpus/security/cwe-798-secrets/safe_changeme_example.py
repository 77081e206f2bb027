# Example configuration: copy to config.py and fill in the real values.
DATABASE_PASSWORD = "changeme"  # safe: CWE-798
SMTP_PASSWORD = "xxxxxxxx"
