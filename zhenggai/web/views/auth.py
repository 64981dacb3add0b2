"""Login and logout with our Chinese templates; failed logins are throttled (see `zhenggai.web.throttle`)."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from zhenggai.web import throttle


class ThrottledLoginForm(AuthenticationForm):
    error_messages: ClassVar[dict[str, str]] = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用，请联系巡察办。",
        "locked": "登录失败次数过多，该账号在本机已暂时锁定，请于%(minutes)s分钟后再试。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = throttle.client_ip(self.request)
        until = throttle.locked_until(username, ip)
        if until is not None:
            raise self._locked(until)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            until = throttle.record_failure(username, ip)
            if until is not None:
                raise self._locked(until) from None
            raise
        throttle.record_success(username, ip)
        return cleaned

    def _locked(self, until) -> forms.ValidationError:
        minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
        return forms.ValidationError(self.error_messages["locked"], code="locked", params={"minutes": minutes})


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
