from django.http import JsonResponse


def compute(request):
    formula = request.GET.get("formula", "1")
    return JsonResponse({"value": eval(formula, {"__builtins__": {}})})  # expect: CWE-94
