from django.db import connection
from django.http import JsonResponse


def stock(request, sku):
    with connection.cursor() as cursor:
        cursor.execute("SELECT quantity FROM stock WHERE sku = %s", [sku])  # safe: CWE-89
        return JsonResponse({"quantity": cursor.fetchone()[0]})
