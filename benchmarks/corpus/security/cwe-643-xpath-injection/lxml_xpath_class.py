from django.http import JsonResponse
from lxml import etree

TREE = etree.parse("stock.xml")


def item(request):
    query = etree.XPath("//item[@sku='%s']/quantity/text()" % request.GET["sku"])  # expect: CWE-643
    return JsonResponse({"quantity": [str(q) for q in query(TREE)]})
