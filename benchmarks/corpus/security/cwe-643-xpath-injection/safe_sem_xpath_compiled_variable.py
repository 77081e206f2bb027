from flask import Flask, request

app = Flask(__name__)


from lxml import etree

BOOKS = etree.parse("books.xml")
BY_AUTHOR = etree.XPath("//book[author=$author]/title/text()")


@app.route("/book")
def book():
    titles = BY_AUTHOR(BOOKS, author=request.args.get("author", ""))  # safe: CWE-643
    return {"titles": [str(t) for t in titles]}
