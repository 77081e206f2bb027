from django.http import HttpResponse


def welcome(request):
    name = request.GET.get("name", "visiteur")
    return HttpResponse("<p>Bienvenue " + name + "</p>")  # expect: CWE-79
