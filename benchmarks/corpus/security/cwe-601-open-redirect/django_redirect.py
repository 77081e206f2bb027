from django.http import HttpResponseRedirect


def logout_view(request):
    destination = request.GET.get("next", "/")
    return HttpResponseRedirect(destination)  # expect: CWE-601
