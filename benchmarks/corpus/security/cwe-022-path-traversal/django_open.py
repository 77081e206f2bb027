from django.http import HttpResponse


def invoice(request, filename):
    with open(f"/srv/invoices/{filename}", "rb") as pdf:  # expect: CWE-22
        return HttpResponse(pdf.read(), content_type="application/pdf")
