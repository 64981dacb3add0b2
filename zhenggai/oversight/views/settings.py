"""The office's settings of oversight: the taxonomy's categories and keywords, and the reminder rules."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger.history import record
from zhenggai.org.models import Committee
from zhenggai.oversight.models import Category, ReminderPolicy, Taxonomy
from zhenggai.oversight.models.notification import Recipient
from zhenggai.oversight.services.classification import reclassify
from zhenggai.oversight.services.reminders import policy_for
from zhenggai.oversight.views.common import manager, page, settings_reader
from zhenggai.params import integer


@settings_reader
@require_GET
def taxonomies(request: HttpRequest) -> HttpResponse:
    items = Taxonomy.objects.prefetch_related("categories")
    return page("oversight/taxonomies.html", request, {"taxonomies": items, "tab": "taxonomies"})


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("name", "keywords")


@manager
@require_POST
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a category's name and keywords, then classify every finding again with them."""
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(request.POST, instance=category)
    if not form.is_valid():
        messages.error(request, "分类名称不能为空")
        return redirect("oversight:taxonomies")
    with transaction.atomic():
        before = {"name": category.name, "keywords": category.keywords}
        form.save()
        record(actor=request.user, action="category_changed", obj=category, before=before, after=form.cleaned_data)
    count = reclassify(category.taxonomy)
    messages.success(request, f"已保存“{category.name}”，重新归类{count}个具体问题")
    return redirect("oversight:taxonomies")


@manager
@require_POST
def taxonomy_default(request: HttpRequest, pk: int) -> HttpResponse:
    taxonomy = get_object_or_404(Taxonomy, pk=pk)
    with transaction.atomic():
        Taxonomy.objects.filter(is_default=True).update(is_default=False)
        Taxonomy.objects.filter(pk=taxonomy.pk).update(is_default=True)
        record(actor=request.user, action="taxonomy_default", obj=taxonomy, after={"name": taxonomy.name})
    messages.success(request, f"仪表板将按“{taxonomy.name}”统计各方面问题")
    return redirect("oversight:taxonomies")


LIGHT_NAMES = (("green", "绿灯"), ("yellow", "黄灯"), ("red", "红灯"))


@settings_reader
@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    labels = dict(Recipient.choices)
    rows = []
    for committee in Committee.objects.all():
        policy = policy_for(committee)
        lights = [
            {
                "light": light,
                "label": label,
                "choices": [(v, n, v in policy.recipients_for(light)) for v, n in Recipient.choices],
                "names": "、".join(labels.get(r, r) for r in policy.recipients_for(light)) or "不提醒",
            }
            for light, label in LIGHT_NAMES
        ]
        rows.append({"committee": committee, "policy": policy, "lights": lights})
    return page("oversight/reminders.html", request, {"rows": rows, "tab": "reminders"})


@manager
@require_POST
def reminder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_object_or_404(Committee, pk=pk)
    policy, _ = ReminderPolicy.objects.get_or_create(committee=committee)
    allowed = set(Recipient.values)
    before = {"recipients": policy.recipients, "repeat_days": policy.repeat_days, "send_email": policy.send_email}
    policy.recipients = {
        light: [r for r in request.POST.getlist(f"{light}_recipients") if r in allowed] for light, _ in LIGHT_NAMES
    }
    repeat = integer(request.POST.get("repeat_days"), high=365)
    policy.repeat_days = policy.repeat_days if repeat is None else repeat
    policy.send_email = bool(request.POST.get("send_email"))
    with transaction.atomic():
        policy.save()
        after = {"recipients": policy.recipients, "repeat_days": policy.repeat_days, "send_email": policy.send_email}
        record(actor=request.user, action="reminder_policy_changed", obj=committee, before=before, after=after)
    messages.success(request, f"已保存{committee.name}的提醒规则")
    return redirect("oversight:reminders")
