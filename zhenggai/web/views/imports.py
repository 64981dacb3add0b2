"""Import: upload a report (or a zhenggai.ledger/1 JSON) → preview with warnings, corrected in place →
confirm → `import_document` in one transaction → the ledger. A draft without a specific problem is
shown with the reason and cannot be confirmed (the service refuses it too)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.filetransfer import accepts_upload
from zhenggai.ingest import IngestError
from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.ledger.access import Action, inspections_for, require
from zhenggai.ledger.errors import DuplicateImport, EmptyImport, LedgerError
from zhenggai.ledger.models import Round
from zhenggai.ledger.services.import_file import read_document
from zhenggai.ledger.services.import_ledger import import_document
from zhenggai.org.models import Unit
from zhenggai.params import integer, read_query
from zhenggai.web import drafts
from zhenggai.web.forms.imports import InspectionFieldsForm, UploadForm
from zhenggai.web.models import ImportDraft
from zhenggai.web.views.common import first_error, page

FIELD_NAMES = {
    "start": "进驻日期",
    "end": "结束日期",
    "feedback_date": "反馈日期",
    "report_date": "成文日期",
    "unit": "被巡察单位",
    "findings": "问题",
    "inspection.unit": "被巡察单位",
    "inspection.team": "巡察组",
    "inspection.committee": "党委",
    "inspection.kind": "巡察类型",
    "report.title": "报告标题",
    "report.publisher": "发布单位",
    "report.published": "发布时间",
    "report.source": "来源",
}


def _upload_form(request: HttpRequest, data=None, files=None) -> UploadForm:
    """The round may be chosen already, by a link from the round's page (?round=)."""
    chosen = read_query(request).id("round", "轮次")
    initial = {"round": chosen} if chosen is not None else {}
    return UploadForm(
        data, files, initial=initial, rounds=Round.objects.select_related("committee"), units=Unit.objects.all()
    )


def _draft(request: HttpRequest, pk: int) -> ImportDraft:
    require(request.user, Action.IMPORT)
    draft = ImportDraft.objects.filter(pk=pk, owner=request.user).select_related("round", "unit").first()
    if draft is None:
        raise Http404
    return draft


@page
@require_http_methods(["GET", "POST"])
@accepts_upload("import")
def upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.IMPORT)
    form = _upload_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read()
        try:
            document = read_document(data, upload_file.name)
        except IngestError as error:
            form.add_error("file", error.message)
        else:
            document.report.source = document.report.source or upload_file.name
            drafts.forget_old(request.user)
            draft = ImportDraft.objects.create(
                owner=request.user,
                round=form.cleaned_data["round"],
                unit=form.cleaned_data["unit"],
                filename=upload_file.name[:255],
                source=data,
                document=document.to_dict(),
            )
            return redirect("web:import_preview", pk=draft.pk)
    recent = ImportDraft.objects.filter(owner=request.user).select_related("round").defer("source", "document")[:10]
    status = 400 if request.method == "POST" else 200
    return render(request, "web/imports/upload.html", {"form": form, "drafts": recent}, status=status)


def _fields_form(draft: ImportDraft, data=None) -> InspectionFieldsForm:
    return InspectionFieldsForm(data, initial=draft.document.get("inspection") or {})


def render_preview(
    request: HttpRequest, draft: ImportDraft, *, fields_form=None, error=None, duplicate=None, status=200
):
    counts = drafts.counts(draft.document)
    context = {
        "draft": draft,
        "fields_form": fields_form or _fields_form(draft),
        "tree": drafts.tree(draft.document),
        "counts": counts,
        "empty": EmptyImport.default_message if not counts["items"] else "",
        "warnings": draft.document.get("warnings") or [],
        "claimed": draft.document.get("claimed") or {},
        "error": error,
        "duplicate": duplicate,
    }
    return render(request, "web/imports/preview.html", context, status=status)


@page
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    return render_preview(request, _draft(request, pk))


@page
@require_POST
def edit_fields(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the corrected inspection fields into the draft (htmx: answers with the form fragment)."""
    draft = _draft(request, pk)
    form = _fields_form(draft, request.POST)
    saved = form.is_valid()
    if saved:
        draft.document["inspection"] = {**(draft.document.get("inspection") or {}), **form.as_document_fields()}
        draft.save(update_fields=["document", "updated_at"])
    if request.htmx:
        context = {"draft": draft, "fields_form": form, "saved": saved}
        return render(request, "web/imports/_fields.html", context, status=200 if saved else 400)
    if saved:
        messages.success(request, "已保存巡察信息")
        return redirect("web:import_preview", pk=draft.pk)
    return render_preview(request, draft, fields_form=form, status=400)


@page
@require_http_methods(["GET", "POST"])
def edit_node(request: HttpRequest, pk: int) -> HttpResponse:
    """One finding title or measure: GET shows it (edit=1: as a form), POST saves it; an empty measure is removed."""
    draft = _draft(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    path, measure = source.get("path", ""), source.get("measure", "")
    node = drafts.node_at(draft.document, path)
    index = integer(measure, high=len(node.get("measures") or []) - 1) if node is not None and measure else None
    if node is None or (measure and index is None):
        raise Http404
    error = ""
    editing = request.method == "GET" and source.get("edit") == "1"
    if request.method == "POST":
        text = " ".join((request.POST.get("text") or "").split())
        if index is None and not text:
            error, editing = "问题内容不能为空", True
        elif index is None:
            node["title"] = text
        elif text:
            node["measures"][index] = text
        else:
            del node["measures"][index]
            if index < len(node.get("responsibilities") or []):
                del node["responsibilities"][index]  # one per measure: they go together
        if not error:
            draft.save(update_fields=["document", "updated_at"])
    if not request.htmx:
        return redirect("web:import_preview", pk=draft.pk)
    if request.method == "POST" and index is not None and not error:
        # Removing a measure renumbers the rest: answer with the node's whole measure list.
        leaf = drafts.DraftNode(
            path,
            node.get("label"),
            node.get("title") or "",
            node.get("status"),
            list(enumerate(node.get("measures") or [])),
        )
        return render(request, "web/imports/_measures.html", {"draft": draft, "node": leaf})
    text = node["title"] if index is None else node["measures"][index]
    context = {"draft": draft, "path": path, "measure": measure, "text": text, "editing": editing, "error": error}
    return render(request, "web/imports/_text.html", context, status=400 if error else 200)


@page
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    document = LedgerDocument.from_dict(draft.document)
    try:
        inspection = import_document(
            document, round=draft.round, unit=draft.unit, actor=request.user, source_bytes=bytes(draft.source)
        )
    except DuplicateImport as error:
        existing = inspections_for(request.user).filter(pk=error.inspection_id).select_related("unit").first()
        return render_preview(request, draft, error=error.message, duplicate=existing, status=409)
    except EmptyImport as error:
        return render_preview(request, draft, error=error.message, status=400)
    except LedgerError as error:
        problems = [
            f"{FIELD_NAMES.get(k, '')}{'：' if k in FIELD_NAMES else ''}{'，'.join(ms)}"
            for k, ms in first_error(error).items()
        ]
        return render_preview(request, draft, error="；".join(problems), status=400)
    draft.delete()
    messages.success(request, f"已导入“{inspection.unit.name}”的整改台账")
    return redirect("web:inspection", pk=inspection.pk)


@page
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    _draft(request, pk).delete()
    messages.info(request, "已放弃该导入")
    return redirect("web:import")
