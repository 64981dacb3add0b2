"""Update the reference page images of every document type, on purpose, after a layout change:

    python -m tests.outputs.refresh_references [NAME ...]

Renders each document type (or only those named) twice, refuses to write when the two renders differ
(LibreOffice output must be stable for the references to mean anything), then replaces the PNGs in
tests/outputs/references. Look at the new images (git diff shows them) before committing.
"""

from __future__ import annotations

import argparse
import sys

from tests.outputs.looks import DOCUMENT_TYPES, identical, page_images, render_pdf, save_references


def main(argv: list[str] | None = None) -> int:
    names = [kind.name for kind in DOCUMENT_TYPES]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"文档类型(默认全部):{'、'.join(names)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(names))
    if unknown:
        parser.error(f"未知的文档类型:{'、'.join(unknown)}(可选:{'、'.join(names)})")
    for kind in DOCUMENT_TYPES:
        if args.names and kind.name not in args.names:
            continue
        first, second = page_images(render_pdf(kind)), page_images(render_pdf(kind))
        if not identical(first, second):
            print(f"{kind.name}:两次生成的页面不一致,未更新参考图像", file=sys.stderr)
            return 1
        paths = save_references(kind, first)
        print(f"{kind.name}:已更新 {len(paths)} 页参考图像")
    return 0


if __name__ == "__main__":
    sys.exit(main())
