from django.http import JsonResponse

from blog.models import Post


def posts(request):
    tag = request.GET["tag"]
    found = Post.objects.extra(where=[f"tags LIKE '%%{tag}%%'"])  # expect: CWE-89
    return JsonResponse({"titles": [p.title for p in found]})
