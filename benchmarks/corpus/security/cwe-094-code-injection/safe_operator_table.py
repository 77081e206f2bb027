import operator

from django.http import JsonResponse

OPERATIONS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}


def compute(request):
    op = OPERATIONS.get(request.GET.get("op", "add"), operator.add)
    result = op(float(request.GET["a"]), float(request.GET["b"]))  # safe: CWE-94
    return JsonResponse({"value": result})
