from django.http import JsonResponse


def choose_language(request):
    language = "fr" if request.POST.get("lang") == "fr" else "en"
    request.session["lang"] = language  # safe: CWE-501
    return JsonResponse({"lang": language})
