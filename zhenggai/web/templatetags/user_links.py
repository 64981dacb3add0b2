"""The one way a link a user typed is rendered: a live link only if it passes `ledger.links`.

External links open in a new tab without handing over the page (`noopener`) or its address
(`noreferrer`); a stored link that fails the rule (saved before it existed) is shown as text.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from zhenggai.ledger.links import clean_link, is_safe_link

register = template.Library()


@register.filter
def user_link(value: str | None, label: str = "") -> SafeString | str:
    """`{{ result.document_link|user_link:"查看" }}`: the link, or its text when it is not safe."""
    if not value:
        return ""
    if not is_safe_link(value):
        return format_html('<span class="unsafe-link" title="该链接不符合要求，未作为链接显示">{}</span>', value)
    href = clean_link(value)
    if href.startswith("/"):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', href, label or href)
    return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', href, label or href)
