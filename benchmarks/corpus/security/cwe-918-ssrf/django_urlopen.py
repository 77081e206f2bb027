from urllib.request import urlopen

from django.http import JsonResponse


def fetch(request):
    with urlopen(request.GET["feed"]) as response:  # expect: CWE-918
        return JsonResponse({"bytes": len(response.read())})
