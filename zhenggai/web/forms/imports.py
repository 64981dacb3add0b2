"""Forms of the import flow: the upload, and the inspection fields corrected in the preview."""

from __future__ import annotations

from django import forms

from zhenggai.ledger.models import Round
from zhenggai.org.models import Unit
from zhenggai.web.forms.widgets import date_field


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name}（{obj.committee.name}）"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="报告或台账文件",
        help_text="可上传 txt、docx、doc、wps、pdf、html 格式的整改报告，docx 或 xlsx 表格形式的整改台账，或 zhenggai.ledger/1 格式的 JSON 台账",
        error_messages={"required": "请选择要导入的文件", "empty": "文件是空的"},
    )
    round = forms.ModelChoiceField(label="巡察轮次", queryset=Round.objects.none(), empty_label="（请选择）")
    unit = UnitChoiceField(
        label="被巡察单位",
        required=False,
        queryset=Unit.objects.none(),
        empty_label="（按文件中的单位名称）",
        help_text="不选时按文件写明的单位名称匹配，没有则新建",
    )

    def __init__(self, *args, rounds, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["unit"].queryset = units.select_related("committee")
        self.fields["file"].widget.attrs.update(
            {"autofocus": True, "accept": ".txt,.docx,.doc,.wps,.xlsx,.pdf,.html,.htm,.json"}
        )
        if "round" not in self.initial and rounds.count() == 1:
            self.fields["round"].initial = rounds.first()

    def clean(self):
        cleaned = super().clean()
        round_, unit = cleaned.get("round"), cleaned.get("unit")
        if round_ and unit and unit.committee_id != round_.committee_id:
            self.add_error("unit", "所选单位不属于该轮巡察的党委")
        return cleaned


class InspectionFieldsForm(forms.Form):
    """The document's own description of the inspection, as the preview lets the importer correct it."""

    unit = forms.CharField(label="被巡察单位", required=False, max_length=200)
    team = forms.CharField(label="巡察组", required=False, max_length=100)
    committee = forms.CharField(label="党委", required=False, max_length=100)
    kind = forms.CharField(label="巡察类型", required=False, max_length=50)
    start = date_field("进驻日期")
    end = date_field("结束日期")
    feedback_date = date_field("反馈日期")

    DATES = ("start", "end", "feedback_date")

    def clean(self):
        cleaned = super().clean()
        start, end, feedback = cleaned.get("start"), cleaned.get("end"), cleaned.get("feedback_date")
        if start and end and end < start:
            self.add_error("end", "结束日期早于进驻日期")
        if end and feedback and feedback < end:
            self.add_error("feedback_date", "反馈日期早于巡察结束日期")
        return cleaned

    def as_document_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: (data[name].isoformat() if data[name] else None)
            if name in self.DATES
            else ((data[name] or "").strip() or None)
            for name in self.fields
        }
