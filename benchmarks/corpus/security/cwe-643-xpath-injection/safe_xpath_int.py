from django.http import JsonResponse
from lxml import etree

TREE = etree.parse("stock.xml")


def item(request):
    position = int(request.GET["position"])
    query = etree.XPath(f"//item[{position}]/quantity/text()")  # safe: CWE-643
    return JsonResponse({"quantity": [str(q) for q in query(TREE)]})
