"""Opinions on the public site: the form (on every report page and on its own), its challenge picture,
the receipt, the status.

Thin: read the request, call `receive_opinion` or `opinion_by_receipt`, show the outcome. A request
larger than any honest opinion is refused before its body is read; any other refusal, a rate limit
included, gives the form back with what was written in it, so no opinion is lost.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from zhenggai.ledger.errors import NotFound, ValidationFailed
from zhenggai.public.errors import Throttled
from zhenggai.public.forms import OpinionForm, ReceiptForm
from zhenggai.public.models import PublicReport
from zhenggai.public.protect import challenge, picture, throttle
from zhenggai.public.protect.receipt import display
from zhenggai.public.services.lookup import opinion_by_receipt
from zhenggai.public.services.receive import receive_opinion, text_max
from zhenggai.public.views.common import client_ip, message_page, not_found, public_report_or_none

# Four bytes a character of the largest text, the other fields, the CSRF and challenge tokens.
BODY_MAX = 4 * 2000 + 8 * 1024


def _too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > BODY_MAX + 4 * max(0, text_max() - 2000)


@require_http_methods(["GET", "POST"])
def opinion_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    report = None
    if pk is not None:
        report = public_report_or_none(pk)
        if report is None or report.state != PublicReport.State.PUBLISHED:
            return not_found(request)
    context = {"report": report, "section": "opinion"}
    if request.method == "GET":
        return render(request, "public/opinion.html", {**context, "form": OpinionForm.with_challenge()})
    if _too_large(request):
        return message_page(request, "内容过长", f"提交的内容过长，意见内容请不超过{text_max()}字。", 413)
    if request.POST.get("refresh"):  # "看不清，换一题": the same form with another picture
        return render(request, "public/opinion.html", {**context, "form": OpinionForm.retry(request.POST, {})})
    form = OpinionForm(request.POST)
    try:
        opinion = receive_opinion(form.submission(), ip=client_ip(request), report=report)
    except Throttled as error:
        retry = OpinionForm.retry(request.POST, {"__all__": [error.message]})
        return render(request, "public/opinion.html", {**context, "form": retry}, status=429)
    except ValidationFailed as error:
        retry = OpinionForm.retry(request.POST, error.errors or {"__all__": [error.message]})
        return render(request, "public/opinion.html", {**context, "form": retry}, status=400)
    response = render(
        request,
        "public/receipt.html",
        {"opinion": opinion, "receipt": display(opinion.receipt), "report": report, "section": "opinion"},
    )
    response["Cache-Control"] = "no-store"  # the receipt is the sender's alone
    return response


@require_http_methods(["GET"])
def challenge_picture(request: HttpRequest) -> HttpResponse:
    """The picture of a form's sum (?t=token), drawn anew each time and never cached."""
    if not throttle.hit("challenge-ip", client_ip(request)):
        response = HttpResponse(
            "验证图片请求过于频繁，请稍后再试", status=429, content_type="text/plain; charset=utf-8"
        )
    else:
        try:
            puzzle = challenge.sum_for(str(request.GET.get("t", ""))[:500])
        except challenge.ChallengeFailed as failed:
            response = HttpResponse(failed.message, status=404, content_type="text/plain; charset=utf-8")
        else:
            response = HttpResponse(picture.render(puzzle), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def opinion_status(request: HttpRequest) -> HttpResponse:
    """POST, so that receipt numbers stay out of addresses, logs and browser history."""
    context = {"section": "status"}
    if request.method == "GET":
        return render(request, "public/status.html", {**context, "form": ReceiptForm()})
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return render(request, "public/status.html", {**context, "form": form}, status=400)
    try:
        opinion = opinion_by_receipt(form.cleaned_data["receipt"], ip=client_ip(request))
    except Throttled as error:
        return message_page(request, "查询过于频繁", error.message, 429)
    except NotFound as error:
        form.add_error("receipt", error.message)
        return render(request, "public/status.html", {**context, "form": form}, status=404)
    response = render(
        request,
        "public/status.html",
        {**context, "form": ReceiptForm(), "opinion": opinion, "receipt": display(opinion.receipt)},
    )
    response["Cache-Control"] = "no-store"
    return response
