"""Login and logout with our Chinese templates; failed logins are throttled (see `zhenggai.web.throttle`)."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from zhenggai.web import throttle
from zhenggai.web.client_address import client_ip


class ThrottledLoginForm(AuthenticationForm):
    error_messages: ClassVar[dict[str, str]] = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用，请联系巡察办。",
        "address": "登录失败次数过多，本机已暂时不能登录，请于%(minutes)s分钟后再试。",
        "username": "登录失败次数过多，该账号已暂时锁定，请于%(minutes)s分钟后再试，或在未输错过密码的电脑上登录。",
        "global": "登录失败次数过多，系统暂时只接受未输错过密码的电脑登录，请于%(minutes)s分钟后再试。",
        "busy": "登录的人较多，请稍后再试。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        refused = throttle.refusal(username, ip)
        if refused is not None:  # refused before any hashing: a locked-out attacker costs a count, not a hash
            raise self._refused(refused)
        try:
            with throttle.hashing_slot():
                cleaned = super().clean()
        except throttle.Busy:
            raise forms.ValidationError(self.error_messages["busy"], code="busy") from None
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                refused = throttle.record_failure(username, ip)
                if refused is not None:
                    raise self._refused(refused) from None
            raise
        throttle.record_success(username, ip)
        return cleaned

    def _refused(self, refused: throttle.Refusal) -> forms.ValidationError:
        minutes = max(1, -(-int((refused.until - timezone.now()).total_seconds()) // 60))
        return forms.ValidationError(
            self.error_messages[refused.reason], code=refused.reason, params={"minutes": minutes}
        )


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
