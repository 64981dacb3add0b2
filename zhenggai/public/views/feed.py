"""The Atom feed of published reports. A withdrawn report stays in it, its entry saying so, so that
no subscriber sees a report vanish without a word."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from zhenggai.public.models import PublicReport, Revision
from zhenggai.public.search.snippet import snippet

ENTRIES = 50


class ReportFeed(Feed):
    feed_type = Atom1Feed
    title = "巡察整改情况公开"
    subtitle = "已公开的巡察整改情况报告"

    def link(self) -> str:
        return reverse("public:home")

    def items(self):
        shown = (PublicReport.State.PUBLISHED, PublicReport.State.WITHDRAWN)
        reports = list(
            PublicReport.objects.filter(state__in=shown)
            .order_by("-changed_at", "-id")
            .prefetch_related("notices")[:ENTRIES]
        )
        live = Revision.objects.filter(report__in=reports, live=True).only("report_id", "body_text")
        texts = {revision.report_id: revision.body_text for revision in live}
        for report in reports:
            report.feed_text = texts.get(report.pk, "")
        return reports

    def item_title(self, item: PublicReport) -> str:
        return item.title if item.state == PublicReport.State.PUBLISHED else f"(已撤回){item.title}"

    def item_description(self, item: PublicReport) -> str:
        notes = [escape(notice.sentence) for notice in item.notices.all()]
        body = str(snippet(item.feed_text, "")) if item.feed_text else ""
        return "<br>".join([*notes, body]) if notes else body

    def item_link(self, item: PublicReport) -> str:
        return reverse("public:report", args=[item.pk])

    def item_author_name(self, item: PublicReport) -> str:
        return item.publisher

    def item_pubdate(self, item: PublicReport) -> datetime | None:
        if item.published_on is None:
            return None
        return timezone.make_aware(datetime.combine(item.published_on, time(9)))

    def item_updateddate(self, item: PublicReport) -> datetime | None:
        return item.changed_at
