import ldap

from django.http import JsonResponse


def entry(request):
    uid = request.GET["uid"]
    conn = ldap.initialize("ldap://ldap.example.fr")
    result = conn.search_s(f"uid={uid},ou=people,dc=example,dc=fr", ldap.SCOPE_BASE)  # expect: CWE-90
    return JsonResponse({"found": bool(result)})
