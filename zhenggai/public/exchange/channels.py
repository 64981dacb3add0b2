"""The two channels, one in each direction."""

from __future__ import annotations

from zhenggai.public.exchange import opinions, publication
from zhenggai.public.exchange.channel import Channel

PUBLICATION = Channel(
    name="publication",
    kinds=publication.KINDS,
    exporter="full",
    importer="public",
    offer=publication.offer,
    apply=publication.apply,
    export_command="public-export",
    import_command="public-import",
)
OPINIONS = Channel(
    name="opinions",
    kinds=opinions.KINDS,
    exporter="public",
    importer="full",
    offer=opinions.offer,
    apply=opinions.apply,
    export_command="opinions-export",
    import_command="opinions-import",
)
