"""The filters of an inspection's task table; every value travels in the query string, so links share them."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q, QuerySet

from zhenggai.ledger.links import MAX_LENGTH, validate_link
from zhenggai.ledger.models import Closure, ResultKind, Status, Task
from zhenggai.web.forms.widgets import date_field


class TaskFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    status = forms.ChoiceField(label="整改状态", required=False, choices=[("", "全部"), *Status.choices])
    closure = forms.ChoiceField(label="销号", required=False, choices=[("", "全部"), *Closure.choices])
    handler = forms.ChoiceField(label="责任人", required=False)
    department = forms.ChoiceField(label="责任科室", required=False)
    deadline_from = date_field("时限自")
    deadline_to = date_field("时限至")
    overdue = forms.BooleanField(label="只看逾期", required=False)
    sort = forms.ChoiceField(label="排序", required=False, choices=[("", "问题顺序"), ("deadline", "整改时限")])

    def __init__(self, data, *, handlers: list[tuple[int, str]], departments: list[str]):
        super().__init__(data)
        self.fields["handler"].choices = [("", "全部"), ("none", "未指定"), *[(str(k), v) for k, v in handlers]]
        self.fields["department"].choices = [("", "全部"), *[(d, d) for d in departments]]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": "措施或问题中的文字"})

    def apply(self, tasks: QuerySet[Task], today: date) -> QuerySet[Task]:
        """The tasks matching the valid filters; invalid values are ignored (and shown as errors)."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("q"):
            tasks = tasks.filter(Q(text__icontains=data["q"]) | Q(finding__title__icontains=data["q"]))
        if data.get("status"):
            tasks = tasks.filter(status=data["status"])
        if data.get("closure"):
            tasks = tasks.filter(closure=data["closure"])
        if data.get("handler") == "none":
            tasks = tasks.filter(handler__isnull=True)
        elif data.get("handler"):
            tasks = tasks.filter(handler_id=int(data["handler"]))
        if data.get("department"):
            tasks = tasks.filter(department=data["department"])
        if data.get("deadline_from"):
            tasks = tasks.filter(deadline__gte=data["deadline_from"])
        if data.get("deadline_to"):
            tasks = tasks.filter(deadline__lte=data["deadline_to"])
        if data.get("overdue"):
            tasks = tasks.filter(deadline__lt=today).exclude(closure=Closure.CLOSED)
        return tasks

    @property
    def active(self) -> bool:
        return self.is_valid() and any(v for k, v in self.cleaned_data.items() if k != "sort")


class ResultForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ResultKind.choices)
    title = forms.CharField(label="名称", max_length=300, help_text="制度名称、会议名称或事项；问责只写事项，不写姓名")
    # text, not a DecimalField: the service keeps the amount exactly as typed (12.345 stays 12.345)
    amount = forms.CharField(
        label="金额（万元）", required=False, max_length=24, help_text="资金类填写，以万元为单位，按原始数据保留小数"
    )
    count = forms.IntegerField(
        label="人次/次数", required=False, min_value=0, help_text="问责类填写人次；专题会议可填次数"
    )
    document_link = forms.CharField(
        label="文件链接",
        required=False,
        max_length=MAX_LENGTH,
        validators=[validate_link],
        help_text="http:// 或 https:// 开头的网址",
    )
