"""Pure analyses of oversight: no Django, text and plain structures in, plain structures out.

quality/rules (is a measure only words), copies (copied measures), common (共性问题), repeats
(改了又犯), classify/taxonomies (standard aspects), counts (claimed vs ledger), similar (MinHash LSH).
"""
