"""Forms of the reports page: a new draft, a draft's wording, an exemption and its decision, a workbook."""

from __future__ import annotations

from datetime import date

from django import forms

from zhenggai.ledger.models import Inspection, Round, Task
from zhenggai.org.models import Unit
from zhenggai.reports.gather import tree_paths
from zhenggai.reports.models import Exemption, ReportDraft
from zhenggai.reports.xlsx_import import Keep, Resolution
from zhenggai.web.forms.imports import UnitChoiceField
from zhenggai.web.forms.widgets import date_field


class DraftCreateForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=ReportDraft.Kind.choices)
    as_of = date_field("截至日期", required=True)


def _text(label: str, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


class DraftForm(forms.Form):
    """The wording of a draft. Empty fields use the generated text, shown as the placeholder."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    as_of = date_field("截至日期", required=True)
    dated = date_field("成文日期")
    title = forms.CharField(label="标题", required=False, max_length=200)
    addressee = forms.CharField(label="主送机关(进展情况报告)", required=False, max_length=200)
    opening = _text("开头", 3)
    organisation = _text("整改工作开展情况", 6, "每段一行;整改数字由台账自动计算,写在本部分之前")
    next_steps = _text("下一步工作打算", 5, "每段一行")
    invitation = _text("接受监督(公布稿)", 4, "留空则按下方联系方式生成")
    publisher = forms.CharField(label="署名", required=False, max_length=200)
    phones = forms.CharField(label="联系电话", required=False, max_length=500, help_text="多个用顿号或逗号分隔")
    emails = forms.CharField(label="电子邮箱", required=False, max_length=500)
    address = forms.CharField(label="通信地址", required=False, max_length=200)
    # 党内版 only (GB/T 9704 版头 and 版记); the public version prints none of them.
    mark = forms.CharField(
        label="密级或“内部资料”标识(党内版)", required=False, max_length=200, help_text="例如:内部资料 注意保存"
    )
    doc_number = forms.CharField(
        label="发文字号(党内版)", required=False, max_length=200, help_text="例如:青水党〔2024〕12号"
    )
    copy_to = forms.CharField(label="抄送(党内版)", required=False, max_length=5000, help_text="机关之间用顿号分隔")
    issuer = forms.CharField(label="印发机关(党内版)", required=False, max_length=200)
    issued_on = date_field("印发日期(党内版)")

    SECTION_FIELDS = ("title", "addressee", "opening", "organisation", "next_steps", "invitation", "publisher",
                      "phones", "emails", "address", "mark", "doc_number", "copy_to", "issuer", "issued_on")  # fmt: skip

    def __init__(self, *args, defaults: dict[str, str] | None = None, late: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in (defaults or {}).items():
            if name in self.fields:
                self.fields[name].widget.attrs["placeholder"] = text
        self.late = late or []
        for task_id, label, _ in self.late:
            self.fields[f"late_{task_id}"] = forms.CharField(label=label, required=False, max_length=400)

    @classmethod
    def initial_for(cls, draft: ReportDraft) -> dict:
        sections = draft.sections or {}
        initial = {"revision": draft.revision, "as_of": draft.as_of, "dated": draft.dated}
        for name in cls.SECTION_FIELDS:
            value = sections.get(name) or ""
            initial[name] = "、".join(value) if isinstance(value, list) else value
        if initial.get("issued_on"):
            initial["issued_on"] = date.fromisoformat(initial["issued_on"])
        for task_id, reason in (sections.get("late_reasons") or {}).items():
            initial[f"late_{task_id}"] = reason
        return initial

    def sections(self) -> dict:
        data = {name: self.cleaned_data.get(name) or "" for name in self.SECTION_FIELDS}
        data["late_reasons"] = {str(t): self.cleaned_data.get(f"late_{t}") or "" for t, _, _ in self.late}
        return data


class ExemptionForm(forms.Form):
    target = forms.ChoiceField(label="不予公开的问题或措施")
    ground = forms.ChoiceField(label="不予公开依据", choices=[("", "请选择"), *Exemption.Ground.choices])
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, help_text="说明为何属于所选依据"
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        choices: list = [("", "请选择")]
        tasks: dict[int, list[Task]] = {}
        for task in Task.objects.filter(finding__inspection=inspection).order_by("position"):
            tasks.setdefault(task.finding_id, []).append(task)
        paths, _ = tree_paths(inspection)
        for finding in sorted(inspection.findings.all(), key=lambda f: paths[f.pk]):
            indent = "\u3000" * (finding.level - 1)
            group = [(f"finding:{finding.pk}", f"{indent}{finding.label or ''} {finding.title[:40]}（整个问题）")]
            group += [(f"task:{t.pk}", f"{indent}\u3000措施:{t.text[:40]}") for t in tasks.get(finding.pk, [])]
            choices.append((f"{finding.label or ''} {finding.title[:24]}", group))
        self.fields["target"].choices = choices


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "同意"), ("reject", "不同意")], widget=forms.HiddenInput)
    note = forms.CharField(label="审核意见", required=False, max_length=1000)
    draft = forms.IntegerField(required=False, widget=forms.HiddenInput)  # the draft page to return to


class FeedbackListForm(forms.Form):
    """A feedback list (反馈问题清单) as the inspection team hands it over, for a new inspection."""

    file = forms.FileField(label="反馈问题清单(.xlsx)", help_text="至少包含“方面”“具体问题”两列,表头可在前10行的任一行")
    round = forms.ModelChoiceField(label="巡察轮次", queryset=Round.objects.none(), empty_label="(请选择)")
    unit = UnitChoiceField(label="被巡察单位", queryset=Unit.objects.none(), empty_label="(请选择)")
    team = forms.CharField(label="巡察组", required=False, max_length=100, help_text="例如:县委第二巡察组")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.select_related("committee")
        self.fields["unit"].queryset = Unit.objects.select_related("committee")
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("round")
            and cleaned.get("unit")
            and cleaned["unit"].committee_id != cleaned["round"].committee_id
        ):
            self.add_error("unit", "所选单位不属于该轮巡察的党委")
        return cleaned


class WorkbookForm(forms.Form):
    file = forms.FileField(label="Excel 台账(.xlsx)")
    dry_run = forms.BooleanField(label="只检查,不保存", required=False)


def resolutions_from(data) -> dict[int, Resolution]:
    """The conflict page's choices: `keep_<task id>` (mine / system) and `version_<task id>`, the version
    of the task the importer saw; a missing or malformed choice is no choice (the task is asked again)."""
    choices: dict[int, Resolution] = {}
    for key, value in data.items():
        if not key.startswith("keep_") or value not in Keep.__members__.values():
            continue
        task, version = key.removeprefix("keep_"), data.get(f"version_{key.removeprefix('keep_')}", "")
        if _number(task) and _number(version):
            choices[int(task)] = Resolution(Keep(value), int(version))
    return choices


def _number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 12
