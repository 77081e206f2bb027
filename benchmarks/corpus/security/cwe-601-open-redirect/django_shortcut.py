from django.shortcuts import redirect


def after_payment(request):
    return redirect(request.POST["return_to"])  # expect: CWE-601
