"""Widgets shared by the forms: HTML date inputs that read and write ISO dates."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d"])
