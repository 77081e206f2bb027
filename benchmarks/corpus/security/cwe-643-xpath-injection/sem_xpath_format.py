from flask import Flask, request

app = Flask(__name__)


from lxml import etree

BOOKS = etree.parse("books.xml")


@app.route("/book")
def book():
    author = request.args.get("author", "")
    titles = BOOKS.xpath("//book[author='%s']/title/text()" % author)  # expect: CWE-643
    return {"titles": [str(t) for t in titles]}
