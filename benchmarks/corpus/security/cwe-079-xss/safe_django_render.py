from django.shortcuts import render


def welcome(request):
    name = request.GET.get("name", "visiteur")
    return render(request, "welcome.html", {"name": name})  # safe: CWE-79
