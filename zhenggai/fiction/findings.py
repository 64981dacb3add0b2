"""The findings tree: aspects (方面) → optional middle problems (问题) → specific problems with measures.

Problems are drawn by meaning (a `Topic`) without repeats inside a report, then worded: a subject
variant, a defect, maybe a concrete detail. Measures mix concrete ones (dates, numbers, named rules,
money, meetings) with words-only ones in a proportion the caller sets, so quality checks have truth.
"""

from __future__ import annotations

import random

from zhenggai.fiction import vocabulary as V
from zhenggai.fiction.model import Aspect, Leaf, Problem
from zhenggai.fiction.writer import Writer, between, knob_int, pick

# cumulative shares of the statuses of a report's leaves
STATUS_MIX = {
    "done": (("完成整改", 1.0),),
    "mixed": (("完成整改", 0.8), ("基本完成", 0.87), ("正在推进", 0.93), ("长期坚持", 0.99), ("未完成", 1.0)),
    "early": (("完成整改", 0.45), ("正在推进", 0.85), ("长期坚持", 0.95), ("基本完成", 1.0)),
}
_BY_KEY = {t.key: t for t in V.TOPICS}
_GENERAL = V.THEMES[:6]
_INNER = str.maketrans("“”", "‘’")


class FindingsBuilder:
    """Builds one report's tree; remembers what it used so that a report does not repeat itself."""

    def __init__(self, rng: random.Random, w: Writer, domain: str, year: int, knobs: dict, common=()):
        self.rng, self.w, self.year, self.knobs = rng, w, year, knobs
        self.topics = {th: [t for t in V.TOPICS if t.theme == th and t.domain in ("*", domain)] for th in V.THEMES}
        self.used: set[str] = set()
        self.pending = list(common)  # topics every unit of a round may share
        self.statuses = STATUS_MIX[knobs.get("statuses") or rng.choice(("done", "mixed", "mixed", "early"))]
        vague = knobs.get("vague")
        self.vague = rng.uniform(0.1, 0.5) if vague is None else vague
        self.leaf_form = rng.choice(("plain", "plain", "bare", "quote", "about"))
        self.middle_form = rng.choice(("关于{}问题", "{}。", "反馈问题：{}。", "{}"))

    def topic(self, themes: tuple[str, ...], fallback: tuple[str, ...] = ()) -> V.Topic:
        for key in self.pending:
            if _BY_KEY[key].theme in themes:
                self.pending.remove(key)
                self.used.add(key)
                return _BY_KEY[key]
        for group in (themes, fallback, _GENERAL, V.THEMES):
            pool = [t for th in group for t in self.topics[th] if t.key not in self.used]
            if pool:
                break
        else:
            pool = [t for th in themes for t in self.topics[th]]
        choice = pick(self.rng, pool)
        self.used.add(choice.key)
        return choice

    def middle(self, themes: tuple[str, ...]) -> tuple[str, str]:
        """(theme, statement) of a middle problem not used yet in this report, when one is left."""
        for group in (themes, _GENERAL):
            pool = [(th, m) for th in group for m in V.MIDDLES_SPLIT[th] if m not in self.used]
            if pool:
                break
        else:
            pool = [(th, m) for th in themes for m in V.MIDDLES_SPLIT[th]]
        theme, text = self.rng.choice(pool)
        self.used.add(text)
        return theme, text

    def aspects(self, frame: str, count: int, middle: str) -> list[Aspect]:
        rng, get = self.rng, self.knobs.get
        out = []
        for title, themes in self._frame(frame, count):
            children: list[Leaf | Problem] = []
            if middle == "all":
                for _ in range(knob_int(rng, get("problems"), (1, 3))):
                    children.append(self._problem(themes, knob_int(rng, get("items"), (1, 3))))
            else:
                for _ in range(knob_int(rng, get("items"), (2, 5))):
                    if middle == "mixed" and rng.random() < 0.4:
                        children.append(self._problem(themes, between(rng, 1, 3)))
                    else:
                        children.append(self.leaf(themes))
            out.append(Aspect(title, children))
        return out

    def _problem(self, themes: tuple[str, ...], items: int) -> Problem:
        theme, text = self.middle(themes)
        return Problem(self.middle_form.format(text), [self.leaf((theme,), themes) for _ in range(items)])

    def _frame(self, frame: str, count: int) -> list[tuple[str, tuple[str, ...]]]:
        """A subset of the frame's aspects in order, filled up with "关于…、…方面" ones."""
        rows = V.FRAMES.get(frame, [])
        if count <= len(rows):
            return [rows[i] for i in sorted(self.rng.sample(range(len(rows)), count))]
        extra = []
        for _ in range(count - len(rows)):
            a, b = self.rng.sample(_GENERAL, 2)
            extra.append((f"关于{self.middle((a,))[1]}、{self.middle((b,))[1]}方面", (a, b)))
        return list(rows) + extra

    def leaf(self, themes: tuple[str, ...], fallback: tuple[str, ...] = ()) -> Leaf:
        rng, w = self.rng, self.w
        topic = self.topic(themes, fallback)
        subject = pick(rng, topic.subjects)
        defect = pick(rng, V.DEFECTS_SPLIT[topic.theme])
        problem = subject + (defect[2:] if defect[:2] == subject[-2:] else defect)
        if topic.money:
            w.new_amount()
        detail = w.fill(pick(rng, topic.details), year=self.year) if rng.random() < 0.6 else ""
        form = self.leaf_form
        if form == "quote":  # quotes inside the quoted problem become single quotes
            problem, detail = problem.translate(_INNER), detail.translate(_INNER)
            title = f"针对“{problem}，{detail}”问题" if detail else f"针对“{problem}”问题"
        elif form == "about":
            title = f"关于{problem}的问题"
        else:
            title = f"{problem}。{detail}。" if detail else problem + ("。" if form == "plain" else "")
        measures, concrete = self._measures(topic, subject, knob_int(rng, self.knobs.get("measures"), (1, 4)))
        x = rng.random()
        status = next((s for s, p in self.statuses if x < p), "完成整改")
        return Leaf(title, measures, concrete, status, None, topic.key)

    def _measures(self, topic: V.Topic, subject: str, count: int) -> tuple[list[str], list[bool]]:
        rng, w = self.rng, self.w
        rule = (w.short + topic.rule) if rng.random() < 0.5 else topic.rule
        measures, concrete, seen = [], [], set()
        for _ in range(count):
            is_concrete = rng.random() >= self.vague
            if not is_concrete:
                pool = V.WORDS
            elif topic.money and rng.random() < 0.4:
                pool = V.MONEY
            else:
                pool = V.CONCRETE
            template = pick(rng, pool)
            while template in seen:  # the pools are larger than the 5 measures a leaf can have
                template = pick(rng, pool if len(pool) > count else V.CONCRETE)
            seen.add(template)
            text = w.fill(template, subject, rule, self.year)
            if rng.random() < 0.45:
                head = pick(rng, V.HEADS)
                if head not in seen:
                    seen.add(head)
                    text = head + "。" + text
            measures.append(text)
            concrete.append(is_concrete)
        return measures, concrete
