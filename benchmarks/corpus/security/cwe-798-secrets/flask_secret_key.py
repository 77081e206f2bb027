from flask import Flask

app = Flask(__name__)
app.secret_key = "f3a9c27b8e1d4065b7c2a9e8d1f04b6c"  # expect: CWE-798
