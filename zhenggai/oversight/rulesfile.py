"""The quality rules in force: the defaults of `analysis.rules`, or the office's `quality_rules.json`.

The file lives in the data folder and has the shape of `rules.default_rules()` (any key left out
keeps its default), so an office can tune a pattern or add a stock phrase without a release.
`zhenggai analyze quality --write-rules` writes the defaults there as a starting point.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from zhenggai.oversight.analysis.quality import RuleSet, default_ruleset

FILENAME = "quality_rules.json"
_cache: dict[str, tuple[float, RuleSet]] = {}


def rules_path() -> Path:
    return Path(settings.DATA_DIR) / FILENAME


def current_rules() -> RuleSet:
    """The office's rules when the file exists (re-read when it changes), else the defaults."""
    path = rules_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return default_ruleset()
    cached = _cache.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    rules = RuleSet.from_dict(json.loads(path.read_text(encoding="utf-8")))
    _cache[str(path)] = (mtime, rules)
    return rules
