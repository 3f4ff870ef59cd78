#!/usr/bin/env python3
"""Draws the fixed parts of the share card (`/nominees/{n}/card.png`) once,
with Noto Sans CJK (SIL Open Font License, Debian's fonts-noto-cjk), so the
server composes a card from pictures alone and needs no font at run time:

- words.png: the card's fixed words, on a transparent 1200 x 630 sheet;
- digits.png: the glyphs 0-9 and 号 in gold, one 150 x 250 cell each.

Usage: python3 scripts/share-card-assets.py  (needs Pillow and the font).
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SC = 2  # the Simplified Chinese face in the collection
OUT = Path(__file__).resolve().parent.parent / "server" / "assets" / "share-card"
GOLD = (255, 227, 163, 255)
WHITE = (255, 255, 255, 255)


def font(size):
    return ImageFont.truetype(FONT, size, index=SC)


def words():
    sheet = Image.new("RGBA", (1200, 630), (0, 0, 0, 0))
    d = ImageDraw.Draw(sheet)
    d.text((70, 70), "十佳小巷总理", font=font(84), fill=GOLD)
    d.text((74, 190), "网上投票 · 每一票都算数", font=font(40), fill=WHITE)
    d.text((74, 470), "候选人编号", font=font(36), fill=WHITE)
    d.text((74, 540), "打开链接，看看 TA 的故事，为身边的好书记投一票", font=font(30), fill=WHITE)
    sheet.save(OUT / "words.png", optimize=True)


def digits():
    cell_w, cell_h = 150, 250
    glyphs = "0123456789号"
    sheet = Image.new("RGBA", (cell_w * len(glyphs), cell_h), (0, 0, 0, 0))
    d = ImageDraw.Draw(sheet)
    for i, g in enumerate(glyphs):
        f = font(220 if g != "号" else 120)
        box = d.textbbox((0, 0), g, font=f)
        w, h = box[2] - box[0], box[3] - box[1]
        x = i * cell_w + (cell_w - w) // 2 - box[0]
        y = cell_h - h - 10 - box[1]
        d.text((x, y), g, font=f, fill=GOLD)
    sheet.save(OUT / "digits.png", optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    words()
    digits()
