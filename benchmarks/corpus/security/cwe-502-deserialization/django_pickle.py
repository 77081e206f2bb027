import pickle

from django.http import JsonResponse


def restore(request):
    snapshot = pickle.loads(request.body)  # expect: CWE-502
    return JsonResponse({"restored": len(snapshot)})
