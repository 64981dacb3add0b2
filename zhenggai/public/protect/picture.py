"""The challenge's picture (验证图片): the sum drawn by the server as a PNG, so a script that reads the
page's text learns nothing. Each drawing differs — characters turned and shifted, lines and dots
across them — and is served with no-store, never cached.

The font is the first one found of Noto Sans CJK (from fonts-noto-cjk, which setup installs), DejaVu
Sans Bold, or Pillow's own; with a CJK font the operator is written 加/减, otherwise +/-.
"""

from __future__ import annotations

import io
import secrets
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from zhenggai.public.protect.challenge import Sum

WIDTH, HEIGHT = 240, 72
SIZE = 40
FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", True),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", True),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", False),
)
_random = secrets.SystemRandom()


@lru_cache(maxsize=1)
def _font() -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """Loaded once per process: the CJK collection takes a moment to open."""
    for path, cjk in FONTS:
        if Path(path).exists():
            try:
                return ImageFont.truetype(path, SIZE, index=2 if path.endswith(".ttc") else 0), cjk
            except OSError:
                continue
    return ImageFont.load_default(size=SIZE), False


def _text(puzzle: Sum, cjk: bool) -> str:
    if cjk:
        return f"{puzzle.left}{'加' if puzzle.plus else '减'}{puzzle.right}等于?"
    return f"{puzzle.left}{'+' if puzzle.plus else '-'}{puzzle.right}=?"


def _ink() -> tuple[int, int, int]:
    return (_random.randint(10, 110), _random.randint(10, 110), _random.randint(40, 140))


def render(puzzle: Sum) -> bytes:
    """A new PNG of `puzzle`; two calls never give the same bytes."""
    font, cjk = _font()
    paper = (_random.randint(225, 250), _random.randint(225, 250), _random.randint(215, 245))
    image = Image.new("RGB", (WIDTH, HEIGHT), paper)
    draw = ImageDraw.Draw(image)
    for _ in range(5):  # faint lines under the text
        draw.line(_points(), fill=tuple(c + 90 for c in _ink()), width=1)
    text = _text(puzzle, cjk)
    advances = [font.getlength(char) for char in text]
    squeeze = min(1.0, (WIDTH - 16) / sum(advances))
    x = _random.uniform(4, max(4.0, WIDTH - 8 - sum(advances) * squeeze))
    for char, advance in zip(text, advances, strict=True):
        glyph = Image.new("L", (SIZE + 16, SIZE + 24), 0)
        ImageDraw.Draw(glyph).text((8, 4), char, font=font, fill=255)
        glyph = glyph.rotate(_random.uniform(-22, 22), resample=Image.Resampling.BICUBIC, expand=True)
        y = _random.randint(-8, max(-7, HEIGHT - glyph.height + 2))
        image.paste(Image.new("RGB", glyph.size, _ink()), (int(x) - 8, y), glyph)
        x += advance * squeeze * _random.uniform(0.95, 1.02)
    for _ in range(3):  # lines across the text, in its colours
        draw.line(_points(), fill=_ink(), width=_random.randint(1, 2))
    for _ in range(WIDTH * HEIGHT // 40):
        draw.point((_random.randrange(WIDTH), _random.randrange(HEIGHT)), fill=_ink())
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _points() -> list[tuple[int, int]]:
    return [(_random.randrange(WIDTH), _random.randrange(HEIGHT)) for _ in range(_random.randint(2, 4))]
