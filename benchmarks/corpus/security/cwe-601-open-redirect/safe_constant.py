from django.shortcuts import redirect


def after_payment(request):
    request.session["paid"] = True
    return redirect("/merci")  # safe: CWE-601
