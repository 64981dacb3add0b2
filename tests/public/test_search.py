"""Chinese full-text search over what is live: queries of every length, snippets, paging, the index
following publication (SQLite FTS5 trigram + pair table; PostgreSQL pg_trgm + pair array)."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.utils import timezone

from zhenggai.ledger.models import Inspection
from zhenggai.public.models import PublicReport, Revision
from zhenggai.public.search import index, normalise, search
from zhenggai.public.search.grams import grams, is_word, word_grams
from zhenggai.public.search.snippet import highlight, snippet

pytestmark = pytest.mark.django_db
_seq = itertools.count(1)


@pytest.fixture
def publish_text(make_round, make_unit):
    """Put a text live as a report of its own (straight into the tables and the index)."""
    round_ = make_round()

    def publish(text: str, title: str = "整改情况的通报", live: bool = True) -> Revision:
        n = next(_seq)
        unit = make_unit(f"测试单位{n}党组")
        inspection = Inspection.objects.create(round=round_, unit=unit, tree_sha256=f"{n:064d}")
        report = PublicReport.objects.create(
            inspection=inspection,
            committee=round_.committee,
            round=round_,
            unit=unit,
            year=2024,
            state=PublicReport.State.PUBLISHED if live else PublicReport.State.PENDING,
            title=title,
            publisher=unit.name,
            published_on=timezone.localdate(),
        )
        revision = Revision.objects.create(
            report=report,
            number=1,
            state=Revision.State.APPROVED if live else Revision.State.SUBMITTED,
            title=title,
            publisher=unit.name,
            dated=timezone.localdate(),
            as_of=timezone.localdate(),
            body_html="<p>x</p>",
            body_text=f"{title}\n{text}",
            submitted_at=timezone.now(),
            live=live,
            search_seq=n * 1000 if live else None,
        )
        if live:
            index.add(revision)
        return revision

    return publish


@pytest.fixture
def corpus(publish_text):
    return {
        "canteen": publish_text("食堂账目未按月公开，公务接待无公函。"),
        "river": publish_text("河湖长制落实不扎实，部分河段巡河记录流于形式。"),
        "ascii": publish_text("办公用房超标问题已按 OA System 整改。"),
        "punct": publish_text("（一）关于公务用车问题；50%的车辆已处置。"),
        "draft": publish_text("草稿里的独有词句宁静致远", live=False),
    }


def hits(query: str) -> list[int]:
    return [hit.revision.pk for hit in search(query).hits]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("食", ["canteen"]),  # one character
        ("食堂", ["canteen"]),  # two
        ("河段", ["river"]),
        ("巡河记", ["river"]),  # three: trigram
        ("公务接待", ["canteen"]),  # four
        ("部分河段巡河记录", ["river"]),  # eight
        ("公务", ["punct", "canteen"]),  # newest first
        ("system", ["ascii"]),  # letters match without regard to case
        ("OA", ["ascii"]),
        ("%", ["punct"]),  # punctuation, short: scanned
        ("（一", ["punct"]),
        ("50%的", ["punct"]),  # LIKE's wildcards are plain characters
        ("宁静致远", []),  # not live: never found
        ("没有的词", []),
    ],
)
def test_queries_of_every_length(corpus, query, expected):
    assert hits(query) == [corpus[key].pk for key in expected]


def test_total_and_white_space(corpus):
    result = search("  食 堂\n")
    assert result.query == "食堂" and result.total == 1 and not result.capped


def test_paging_with_before(publish_text):
    made = [publish_text(f"第{i}份报告提到公务接待。") for i in range(5)]
    first = search("公务接待", limit=2)
    assert [h.revision.pk for h in first.hits] == [made[4].pk, made[3].pk]
    assert first.total == 5 and not first.capped
    second = search("公务接待", before=first.next_before, limit=2)
    assert [h.revision.pk for h in second.hits] == [made[2].pk, made[1].pk]
    third = search("公务接待", before=second.next_before, limit=2)
    assert [h.revision.pk for h in third.hits] == [made[0].pk] and third.next_before is None


def test_index_follows_removal(corpus):
    river = corpus["river"]
    index.remove(river)
    Revision.objects.filter(pk=river.pk).update(live=False)
    assert hits("河段") == [] and hits("巡河记录") == []
    assert hits("食堂") == [corpus["canteen"].pk]


def test_rebuild_indexes_what_is_live(corpus):
    assert index.rebuild() == 4
    assert hits("河段") == [corpus["river"].pk]
    assert hits("宁静") == []


def test_snippets_are_escaped_and_marked(publish_text):
    publish_text("<script>alert('x')</script>食堂账目未公开" + "。" * 200)
    result = search("食堂")
    snip = str(result.hits[0].snippet)
    assert "<mark>食堂</mark>" in snip
    assert "<script>" not in snip and "&lt;script&gt;" in snip
    assert snip.endswith("…")


def test_snippet_and_highlight_units():
    assert str(highlight("a<b>公务</b>", "公务")) == "a&lt;b&gt;<mark>公务</mark>&lt;/b&gt;"
    text = "前" * 100 + "目标词" + "后" * 100
    snip = str(snippet(text, "目标词"))
    assert snip.startswith("…") and "<mark>目标词</mark>" in snip and snip.endswith("…")
    assert str(snippet("短文", "无")) == "短文"


def test_grams_and_normalise():
    assert grams("公务\n接待A") == {"公", "务", "公务", "接", "待", "a", "接待", "待a"}
    assert "务接" not in grams("公务\n接待")
    assert word_grams("公，务") == "公 务"
    assert is_word("食堂") and not is_word("（一") and not is_word("食堂账")
    assert normalise(" 公 务\x00接待\t") == "公务接待"
    assert len(normalise("字" * 80)) == 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_database_reads_chinese_trigrams():
    from zhenggai.public.search.postgres import trigram_status

    with connection.cursor() as cursor:
        cursor.execute("SHOW lc_ctype")
        assert cursor.fetchone()[0] in ("C.UTF-8", "C.utf8")
    assert trigram_status(connection) == "ok"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_falls_back_past_the_window(publish_text, monkeypatch):
    """A rare word beyond the newest WINDOW reports is found through the index, with its total."""
    from zhenggai.public.search import postgres

    old = publish_text("罕见词语出现在较早的报告里。")
    for i in range(4):
        publish_text(f"较新的报告{i}。")
    monkeypatch.setattr(postgres, "WINDOW", 2)
    for query in ("罕见", "罕见词语"):
        result = search(query)
        assert [h.revision.pk for h in result.hits] == [old.pk] and result.total == 1


def _cap(monkeypatch, n: int) -> None:
    from zhenggai.public.search import postgres, sqlite

    for module in (postgres, sqlite):
        monkeypatch.setattr(module, "COUNT_CAP", n)


@pytest.mark.parametrize("query", ["公", "公务", "公务接", "公务接待"])
def test_many_matches_are_counted_up_to_the_cap(publish_text, monkeypatch, query):
    for i in range(5):
        publish_text(f"第{i}份报告提到公务接待。")
    _cap(monkeypatch, 3)
    result = search(query, limit=2)
    assert len(result.hits) == 2 and result.total == 3 and result.capped
    second = search(query, before=result.next_before, limit=2)
    assert second.total is None and not second.capped  # later pages are not counted again


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_counts_past_the_window(publish_text, monkeypatch):
    """One or two characters: counted exactly from the pairs table however many reports the window holds.
    Three or more: the matches among the newest WINDOW reports, marked as a lower bound."""
    from zhenggai.public.search import postgres

    for i in range(6):
        publish_text(f"第{i}份报告提到公务接待。")
    publish_text("没有那个词的报告。")
    monkeypatch.setattr(postgres, "WINDOW", 4)
    short = search("公务", limit=2)
    assert len(short.hits) == 2 and (short.total, short.capped) == (6, False)
    long = search("公务接待", limit=2)
    assert len(long.hits) == 2 and (long.total, long.capped) == (3, True)  # 3 of the newest 4 (one lacks it)
    monkeypatch.setattr(postgres, "WINDOW", 100)
    assert (search("公务接待", limit=2).total, search("公务接待", limit=2).capped) == (6, False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgres_pairs_table_is_read_through_its_index(publish_text):
    """The planner would scan the pairs table for a common pair and unpack every array (seconds at
    100,000 reports); the count goes through the GIN index, and the session's settings are left as found."""
    from zhenggai.public.search import postgres

    publish_text("公务接待。")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {postgres.GRAMS}")
        cursor.execute("SET LOCAL enable_seqscan = on")
        assert postgres._pairs_count(cursor, "公务") == 1
        plan = postgres._pairs(
            cursor, "EXPLAIN SELECT count(*) FROM public_search_grams WHERE grams @> ARRAY[%s]", "公"
        )
        assert "Seq Scan" not in " ".join(row[0] for row in plan)
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def test_search_page_shows_a_lower_bound_as_such(client, monkeypatch):
    from zhenggai.public.search import SearchPage
    from zhenggai.public.views import search as view

    monkeypatch.setattr(view, "search", lambda raw, before=None: SearchPage(query=raw, total=1000, capped=True))
    page = client.get("/gongkai/search/", {"q": "整改"}).content.decode()
    assert "找到1,000篇以上包含“整改”的报告" in page and "多篇" not in page
    monkeypatch.setattr(view, "search", lambda raw, before=None: SearchPage(query=raw, total=1234, capped=False))
    assert "共找到1,234篇包含“整改”的报告" in client.get("/gongkai/search/", {"q": "整改"}).content.decode()


def test_search_page(client, corpus):
    page = client.get("/gongkai/search/", {"q": "食堂"}).content.decode()
    assert "共找到1篇" in page and "<mark>食堂</mark>" in page
    assert "没有找到" in client.get("/gongkai/search/", {"q": "无此词语"}).content.decode()
    assert client.get("/gongkai/search/", {"q": "食堂", "before": "x"}).status_code == 200
