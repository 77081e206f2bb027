from xml.dom import minidom

from django.http import JsonResponse


def upload(request):
    document = minidom.parseString(request.body)  # safe: CWE-611
    return JsonResponse({"root": document.documentElement.tagName})
