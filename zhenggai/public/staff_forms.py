"""Forms of the staff pages of publishing and opinion handling."""

from __future__ import annotations

from django import forms

from zhenggai.org.models import User
from zhenggai.web.forms.widgets import DateInput


class SubmitForm(forms.Form):
    as_of = forms.DateField(label="数据截至", widget=DateInput, help_text="报告中整改进展所截至的日期")
    dated = forms.DateField(label="成文日期", required=False, widget=DateInput, help_text="落款日期，默认同截至日期")
    exempt = forms.MultipleChoiceField(label="本版不予公开的问题", required=False, widget=forms.CheckboxSelectMultiple)
    correction_note = forms.CharField(
        label="更正说明",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="已公开的报告再次提交即为更正，说明将显示在公开页面上",
    )

    def __init__(self, *args, paths: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exempt"].choices = paths

    def exempt_paths(self) -> list[list[int]]:
        return [[int(part) for part in value.split(".")] for value in self.cleaned_data["exempt"]]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class RefuseExemptionForm(forms.Form):
    note = forms.CharField(label="不同意的意见", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回说明", max_length=500, widget=forms.Textarea(attrs={"rows": 3}), help_text="将在公开页面显示"
    )


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label="承办人", queryset=User.objects.none(), empty_label="请选择")

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="答复内容",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="答复将以单位名义显示给持有回执编号的群众",
    )
