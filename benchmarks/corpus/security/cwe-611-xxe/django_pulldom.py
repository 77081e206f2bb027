from xml.dom.pulldom import START_ELEMENT, parseString
from xml.sax import make_parser
from xml.sax.handler import feature_external_ges

from django.http import JsonResponse


def upload(request):
    parser = make_parser()
    parser.setFeature(feature_external_ges, True)
    events = parseString(request.body.decode("utf-8"), parser=parser)  # expect: CWE-611
    names = [node.tagName for event, node in events if event == START_ELEMENT]
    return JsonResponse({"tags": names})
