"""Forms of the task page. Each editing form carries the `version` the editor saw (optimistic locking)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from zhenggai.ledger.models import Evidence, Status, Task, TaskKind
from zhenggai.ledger.workflow import STATUS_TRANSITIONS
from zhenggai.org.models import UNIT_ROLES, User
from zhenggai.web.forms.widgets import date_field


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name or obj.username


def eligible_handlers(task: Task) -> QuerySet[User]:
    """Active users of the inspected unit who may hold a task (整改办 or 责任人)."""
    unit_id = task.finding.inspection.unit_id
    return User.objects.filter(is_active=True, role__in=UNIT_ROLES, unit_id=unit_id).order_by(
        "display_name", "username"
    )


class AssignForm(VersionedForm):
    responsible_leader = forms.CharField(label="责任领导", required=False, max_length=100)
    department = forms.CharField(label="责任科室", required=False, max_length=100)
    handler = HandlerChoiceField(label="责任人", required=False, queryset=User.objects.none(), empty_label="（未指定）")
    deadline = date_field("整改时限")
    kind = forms.ChoiceField(label="任务类型", required=False, choices=[("", "（未分类）"), *TaskKind.choices])

    FIELDS = ("responsible_leader", "department", "handler", "deadline", "kind")

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = eligible_handlers(task)


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label="新的整改状态")

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS.get(Status(task.status), frozenset())
        self.fields["status"].choices = [(s.value, s.label) for s in Status if s in allowed]


class NoteForm(forms.Form):
    text = forms.CharField(label="进展情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料文件", error_messages={"required": "请选择要上传的文件", "empty": "文件为空"})


class ClosureRequestForm(VersionedForm):
    note = forms.CharField(label="整改说明", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.ModelMultipleChoiceField(
        label="所附佐证材料", required=False, queryset=Evidence.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = Evidence.objects.filter(task=task)
        self.fields["evidence"].label_from_instance = lambda e: e.original_name
        if not self.fields["evidence"].queryset.exists():
            self.fields["evidence"].help_text = "尚未上传佐证材料：可先在“佐证材料”处上传，或在整改说明中写明整改情况"


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label="理由",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写理由"},
    )


class PinForm(forms.Form):
    """Set a problem's status on purpose (人工认定), or give it back to the roll-up from its tasks."""

    status = forms.ChoiceField(label="认定状态", required=False, choices=[("", "（随任务自动计算）"), *Status.choices])
