"""One's own account: change the password, list and revoke one's API tokens; the office sees anyone's tokens.

Thin: the rules (who may see or end a token, what ends it) live in `zhenggai.api.tokens` and the
user services. Revoking is a plain form post, so the pages need no script.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.api import tokens as token_service
from zhenggai.api.models import ApiToken
from zhenggai.ledger.errors import LedgerError
from zhenggai.ledger.services import users as user_services
from zhenggai.org.models import User
from zhenggai.web.forms.manage import OwnPasswordForm
from zhenggai.web.views.common import first_error, page


def _token_page(request: HttpRequest, owner: User) -> HttpResponse:
    tokens = token_service.tokens_of(owner, actor=request.user)
    own = owner.pk == request.user.pk
    context = {"owner": owner, "tokens": tokens, "own": own, "section": "account" if own else "manage"}
    return render(request, "web/account/tokens.html", context)


@page
@require_GET
def my_tokens(request: HttpRequest) -> HttpResponse:
    return _token_page(request, request.user)


@page
@require_GET
def user_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    return _token_page(request, get_object_or_404(User, pk=pk))


@page
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    token_service.revoke_as(token, actor=request.user)
    messages.success(request, f"已吊销令牌 {token.prefix}…")
    if token.user_id == request.user.pk:
        return redirect("web:account_tokens")
    return redirect("web:manage_user_tokens", pk=token.user_id)


@page
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_services.change_own_password(
                request.user, old_password=data["old_password"], new_password=data["password"]
            )
        except LedgerError as error:
            for name, problems in first_error(error).items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改；您的 API 令牌已随之失效")
            return redirect("web:account_tokens")
    status = 400 if request.method == "POST" else 200
    return render(request, "web/account/password.html", {"form": form, "section": "account"}, status=status)
