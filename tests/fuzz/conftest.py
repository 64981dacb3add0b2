"""The fuzz tests run in the public side's world (two units' ledgers, a published report, a pending
submission, opinions), with an import draft and a report draft added so their pages have something
to show."""

from __future__ import annotations

from tests.public.conftest import _fresh_search_index, _plain_static_files, opinions, world

__all__ = ["_fresh_search_index", "_plain_static_files", "opinions", "world"]
