import json

from django.http import JsonResponse


def restore(request):
    snapshot = json.loads(request.body)  # safe: CWE-502
    return JsonResponse({"restored": len(snapshot)})
