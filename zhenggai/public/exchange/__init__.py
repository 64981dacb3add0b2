"""The one-way channel between the intranet and the public-only site (ZHENGGAI_MODE=public).

Nothing ever connects from the internet side into the intranet: the intranet writes a signed bundle of
what was approved for publication (`public-export`), someone carries it across, and the public site
verifies and applies it (`public-import`); opinions sent by the public travel back the same way
(`opinions-export` / `opinions-import`). Each side signs with its own Ed25519 key and holds only the
other side's public key, so a compromised public server cannot forge a bundle the intranet accepts as
a publication, nor the other way round.

`keys` makes and reads the key pairs, `bundle` writes and verifies the files (no Django), `channel`
numbers the bundles and sends only what changed, `publication` and `opinions` say what a record is on
each side and how it is applied.
"""

from zhenggai.public.exchange.bundle import BundleError

__all__ = ["BundleError"]
