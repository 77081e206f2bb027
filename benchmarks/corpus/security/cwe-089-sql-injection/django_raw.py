from django.http import JsonResponse

from shop.models import Customer


def customer_search(request):
    city = request.GET.get("city", "")
    customers = Customer.objects.raw("SELECT * FROM shop_customer WHERE city = '%s'" % city)  # expect: CWE-89
    return JsonResponse({"names": [c.name for c in customers]})
