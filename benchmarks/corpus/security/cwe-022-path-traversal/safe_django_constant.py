from django.http import HttpResponse


def invoice(request, filename):
    with open("/srv/invoices/template.pdf", "rb") as pdf:  # safe: CWE-22
        return HttpResponse(pdf.read(), content_type="application/pdf", headers={"X-Asked": filename})
