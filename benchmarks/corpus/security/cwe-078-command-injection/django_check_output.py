import subprocess

from django.http import JsonResponse


def whois(request):
    domain = request.GET.get("domain", "")
    result = subprocess.check_output("whois " + domain, shell=True)  # expect: CWE-78
    return JsonResponse({"whois": result.decode()})
