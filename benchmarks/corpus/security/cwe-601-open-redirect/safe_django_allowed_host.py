from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def logout_view(request):
    destination = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(destination, allowed_hosts={request.get_host()}):
        destination = "/"
    return HttpResponseRedirect(destination)  # safe: CWE-601
