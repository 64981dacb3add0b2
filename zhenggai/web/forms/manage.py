"""Forms of the administration pages (office only): users, units, teams, committees, rounds."""

from __future__ import annotations

from django import forms

from zhenggai.ledger.services.rounds import CALENDAR_FIELDS
from zhenggai.org.models import Committee, InspectionTeam, Role, Unit


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        committee = getattr(obj, "committee", None)
        return f"{obj.name}（{committee.name}）" if committee else obj.name


def _units():
    return Unit.objects.select_related("committee").order_by("committee__name", "name")


def _teams():
    return InspectionTeam.objects.select_related("committee").order_by("committee__name", "name")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = NamedChoiceField(
        label="所在单位", required=False, queryset=Unit.objects.none(), help_text="整改办和责任人必选"
    )
    team = NamedChoiceField(
        label="巡察组", required=False, queryset=InspectionTeam.objects.none(), help_text="巡察组成员必选"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()
        self.fields["team"].queryset = _teams()


class UserCreateForm(RoleForm):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", required=False, max_length=50)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少10位，不能全为数字",
    )
    email = forms.EmailField(label="电子邮箱", required=False)

    field_order = ("username", "display_name", "password", "role", "unit", "team", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})


class PasswordForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="再次输入", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return cleaned


class OwnPasswordForm(PasswordForm):
    """A user's own password change: the old password first."""

    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True})
    )
    field_order = ("old_password", "password", "password2")


class UnitForm(forms.Form):
    committee = forms.ModelChoiceField(label="党委", queryset=Committee.objects.all())
    name = forms.CharField(label="单位名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=Unit.Kind.choices, initial=Unit.Kind.DEPARTMENT)


class TeamForm(forms.Form):
    committee = forms.ModelChoiceField(label="党委", queryset=Committee.objects.all())
    name = forms.CharField(label="巡察组名称", max_length=100)


class CalendarForm(forms.Form):
    plan_due_days = forms.IntegerField(label="整改方案期限（反馈后天数）", min_value=0, max_value=365)
    concentrated_months = forms.IntegerField(label="集中整改期（反馈后月数）", min_value=0, max_value=36)
    report_due_months = forms.IntegerField(label="整改报告期限（反馈后月数）", min_value=0, max_value=36)
    green_days = forms.IntegerField(label="绿灯提醒（剩余天数）", min_value=0, max_value=365)
    yellow_days = forms.IntegerField(label="黄灯预警（剩余天数）", min_value=0, max_value=365)

    def clean(self):
        cleaned = super().clean()
        green, yellow = cleaned.get("green_days"), cleaned.get("yellow_days")
        if green is not None and yellow is not None and yellow > green:
            self.add_error("yellow_days", "黄灯天数不能大于绿灯天数")
        return cleaned

    def calendar(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in CALENDAR_FIELDS}


class CommitteeForm(CalendarForm):
    name = forms.CharField(label="党委名称", max_length=100)
    level = forms.ChoiceField(label="层级", choices=Committee.Level.choices)

    field_order = ("name", "level", *CALENDAR_FIELDS)


class RoundForm(forms.Form):
    committee = forms.ModelChoiceField(label="党委", queryset=Committee.objects.all())
    name = forms.CharField(label="轮次名称", max_length=100, help_text="如：十五届县委第三轮巡察")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="轮次", required=False, min_value=1, max_value=99)
