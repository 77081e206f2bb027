from django.http import JsonResponse


def choose_role(request):
    request.session["role"] = request.POST.get("role", "reader")  # expect: CWE-501
    return JsonResponse({"role": request.session["role"]})
