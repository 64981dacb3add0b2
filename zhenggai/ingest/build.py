"""Extracted text → ledger document: normalise → segment → tree → fields → checks."""

from __future__ import annotations

from zhenggai.ingest import fields
from zhenggai.ingest.checks import check
from zhenggai.ingest.errors import NotAReport, TooLarge
from zhenggai.ingest.ledgerdoc import LedgerDocument
from zhenggai.ingest.normalise import Line, normalise
from zhenggai.ingest.options import ParseOptions
from zhenggai.ingest.readers.base import Extracted
from zhenggai.ingest.segment import segment
from zhenggai.ingest.tree import Node, build_findings


def build_ledger(extracted: Extracted, source: str, options: ParseOptions = ParseOptions()) -> LedgerDocument:
    if len(extracted.paragraphs) > options.max_paragraphs:
        raise TooLarge(f"文档段落过多({len(extracted.paragraphs)}段),超过上限{options.max_paragraphs}段")
    lines = normalise(extracted.paragraphs, wrapped=extracted.wrapped)
    if not lines:
        raise NotAReport("文件中没有可读的文字")
    blocks = segment(lines)
    findings, root, aspects = build_findings(blocks)
    outside = _outside_findings(root, aspects)
    doc = LedgerDocument(
        inspection=fields.opening(lines),
        report=fields.report_meta(lines, extracted.title, extracted.published, source),
        claimed=fields.claimed(outside),
        contact=fields.contacts(outside[-12:] if len(outside) > 12 else outside),
        findings=findings,
    )
    if options.require_findings and not findings and not _mentions_inspection(lines):
        raise NotAReport("未识别为巡察整改报告(没有找到巡察信息或整改问题)")
    doc.warnings = check(doc)
    return doc


def _outside_findings(root: Node, aspect_nodes: list[Node]) -> list[Line]:
    """Every line of the sections that are not findings, in document order (the closing lines last)."""
    aspects = {id(n) for n in aspect_nodes}
    out: list[Line] = []

    def walk(node: Node) -> None:
        if id(node) in aspects:
            return
        if node.title:
            out.append(Line(node.title, node.key))
        out.extend(Line(b.text, b.key) for b in node.body if not b.closing)
        for child in node.children:
            walk(child)

    walk(root)
    out.extend(Line(b.text, b.key) for b in root.body if b.closing)
    return out


def _mentions_inspection(lines: list[Line]) -> bool:
    head = "".join(line.key for line in lines[:20])
    return ("巡察" in head or "巡视" in head) and any("整改" in line.key for line in lines)
