"""Links an attacker types into a URL field, and links a user rightly types: one table for every test.

Each hostile link would run script, load another site's content or leave the site when clicked
or rendered, in at least one browser, if stored and shown as a link.
"""

from __future__ import annotations

HOSTILE = {
    "javascript": "javascript:fetch('/manage/users/new/',{method:'POST'})",
    "javascript-mixed-case": "JaVaScRiPt:alert(document.cookie)",
    "javascript-upper": "JAVASCRIPT:alert(1)",
    "data-html": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data-mixed-case": "DaTa:text/html,<script>alert(1)</script>",
    "vbscript": "vbscript:msgbox(1)",
    "vbscript-mixed-case": "VBScript:MsgBox(1)",
    "space-prefixed": " javascript:alert(1)",
    "nbsp-prefixed": "\u00a0javascript:alert(1)",
    "tab-prefixed": "\tjavascript:alert(1)",
    "newline-prefixed": "\njavascript:alert(1)",
    "control-prefixed": "\x01javascript:alert(1)",
    "nul-prefixed": "\x00javascript:alert(1)",
    "zero-width-prefixed": "\u200bjavascript:alert(1)",
    "tab-inside-scheme": "java\tscript:alert(1)",
    "newline-inside-scheme": "java\nscript:alert(1)",
    "cr-inside-scheme": "java\rscript:alert(1)",
    "entity-decimal": "&#106;avascript:alert(1)",
    "entity-hex": "&#x6A;avascript:alert(1)",
    "entity-colon": "javascript&colon;alert(1)",
    "entity-tab": "jav&#x09;ascript:alert(1)",
    "percent-scheme": "%6Aavascript:alert(1)",
    "percent-colon": "javascript%3Aalert(1)",
    "protocol-relative": "//evil.example/steal",
    "backslash-relative": "/\\evil.example/steal",
    "double-backslash": "\\\\evil.example/steal",
    "tab-in-slashes": "/\t/evil.example/steal",
    "http-without-slashes": "https:evil.example",
    "http-one-slash": "http:/evil.example",
    "http-without-host": "https://",
    "file": "file:///etc/passwd",
    "ftp": "ftp://evil.example/a",
    "relative": "evil.example/a",
}

SAFE = {
    "https": ("https://www.example.gov.cn/zhenggai/2024/1.pdf", "https://www.example.gov.cn/zhenggai/2024/1.pdf"),
    "http-with-query": ("http://10.0.0.5/docs?id=3&v=2", "http://10.0.0.5/docs?id=3&v=2"),
    "upper-case-scheme": ("HTTPS://Example.org/a", "HTTPS://Example.org/a"),
    "own-path": ("/inspections/1/", "/inspections/1/"),
    "spaces-around": ("  https://example.org/a  ", "https://example.org/a"),
    "empty": ("", ""),
}
