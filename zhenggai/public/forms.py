"""Forms of the public site. They render the fields with their labels and carry the strings to the
services, which hold the rules; errors from a service are put back on the field they concern."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from zhenggai.public.models import Opinion
from zhenggai.public.protect.challenge import new_challenge
from zhenggai.public.services.receive import CONTACT_MAX, Submission, text_max


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Opinion.Kind.choices, initial=Opinion.Kind.SUGGESTION)
    text = forms.CharField(
        label="意见内容",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写明具体事项；请勿填写涉密内容。",
    )
    contact = forms.CharField(
        label="联系方式(选填)",
        required=False,
        help_text="仅供办理单位联系您，不会公开。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    website = forms.CharField(
        label="请勿填写此项",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    answer = forms.CharField(
        label="验证题：请计算图中算式的结果，用阿拉伯数字填写",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
    )

    def __init__(self, *args, challenge_token: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge_token = challenge_token
        self.fields["text"].widget.attrs["maxlength"] = text_max()
        self.fields["contact"].widget.attrs["maxlength"] = CONTACT_MAX

    @property
    def challenge_url(self) -> str:
        """The picture of this form's question, drawn by our server (the page holds no answer)."""
        return f"{reverse('public:challenge')}?{urlencode({'t': self.challenge_token})}"

    @classmethod
    def with_challenge(cls) -> OpinionForm:
        challenge = new_challenge()
        return cls(initial={"token": challenge.token}, challenge_token=challenge.token)

    @classmethod
    def retry(cls, data, errors: dict[str, list[str]]) -> OpinionForm:
        """The form again after a refusal (or a request for another picture): what was written is
        kept, with a new question and the errors."""
        challenge = new_challenge()
        kept = {name: str(data.get(name, ""))[: text_max() + 1000] for name in ("kind", "text", "contact")}
        form = cls({**kept, "token": challenge.token, "answer": ""}, challenge_token=challenge.token)
        form.full_clean()
        for name, messages in errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return form

    def submission(self) -> Submission:
        data = self.data
        return Submission(
            text=str(data.get("text", "")),
            kind=str(data.get("kind", "")),
            contact=str(data.get("contact", "")),
            website=str(data.get("website", "")),
            token=str(data.get("token", "")),
            answer=str(data.get("answer", "")),
        )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label="回执编号",
        max_length=40,
        help_text="提交意见时获得的13位编号，例如 ABCD-EFGH-JKMN-P",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
