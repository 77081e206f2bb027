from django.shortcuts import render
from django.utils.safestring import mark_safe


def profile(request):
    bio = mark_safe(request.POST.get("bio", ""))  # expect: CWE-79
    return render(request, "profile.html", {"bio": bio})
