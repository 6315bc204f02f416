"""Where a report's headings, numbered items and sentences stand: the scopes a
figure's links are read in (GOLD.md: clause, sentence, numbered item, section)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

SENTENCE_END = re.compile(r"[。!?\n！？]")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分|\d+[、.．])")
CONTINUES = re.compile(r"\s*其中")
ITEM = re.compile(r"(?:^|(?<=[。;\n]))\s*(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+要|\d+[)）]|[(（]\d+[)）])")


@dataclass(frozen=True)
class Structure:
    """Where headings, items and sentences start in a text (sorted, for bisection:
    a long report must not cost the square of its length)."""

    headings: list[tuple[int, int, int]]  # (start, end, depth)
    items: list[tuple[int, int]]  # (start, end of its first sentence)
    text: str
    ends: list[int] = field(default_factory=list)  # offsets of sentence-ending characters

    def sentence(self, pos: int, continued: bool = False) -> tuple[int, int]:
        """The sentence holding ``pos``; ``continued``: with the sentences it goes on from."""
        i = bisect_left(self.ends, pos)
        start = self.ends[i - 1] + 1 if i > 0 else 0
        end = self.ends[i] if i < len(self.ends) else len(self.text)
        # 年末共有特困人员3012人。其中，集中供养486人: a sentence opening with 其中 goes on the one
        # before it (its "of whom"): the people it counts are the ones named there.
        while continued and i > 0 and self.text[self.ends[i - 1]] == "。" and CONTINUES.match(self.text, start):
            i -= 1
            start = self.ends[i - 1] + 1 if i > 0 else 0
        return start, end

    def item_heading(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right(self._item_starts, pos)
        if i == 0:
            return None
        best = self.items[i - 1]
        # An item ends at the next heading line.
        j = bisect_right(self._heading_starts, best[0])
        if j < len(self.headings) and self.headings[j][0] <= pos:
            return None
        return best

    def __post_init__(self):
        object.__setattr__(self, "_item_starts", [s for s, _ in self.items])
        object.__setattr__(self, "_heading_starts", [h[0] for h in self.headings])

    def section_headings(self, pos: int) -> list[tuple[int, int]]:
        """Enclosing headings, nearest first (一、 then its (一) ...)."""
        out, depth_seen = [], set()
        for hs, he, depth in reversed(self.headings[: bisect_right(self._heading_starts, pos)]):
            if depth not in depth_seen and (not depth_seen or depth < min(depth_seen)):
                out.append((hs, he))
                depth_seen.add(depth)
        return out


#: A heading line (or a numbered paragraph's title sentence) is at most this long;
#: a line without punctuation at most HEADING_PLAIN is a heading too.
HEADING_MAX, HEADING_PLAIN = 60, 30


def structure(text: str) -> Structure:
    headings = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        m = HEADING.match(stripped)
        # 2．推进养老服务高质量发展。全年新增…: a numbered paragraph's title is its first sentence.
        title = len(line) if len(stripped) <= HEADING_MAX else line.find("。") + 1
        if m and 0 < title <= HEADING_MAX + len(line) - len(stripped):
            depth = 0 if "、" in m.group(0) and not m.group(0)[0].isdigit() else 1
            if m.group(0).startswith("第"):
                depth = -1
            headings.append((pos, pos + title, depth))
        elif stripped and len(stripped) <= HEADING_PLAIN and not re.search(r"[,。;]", stripped) and pos > 0:
            # A short line without punctuation is a heading too (2024年工作谋划:), of
            # what follows it up to the next heading of any depth: a table's title
            # (2021年社会救助资金发放情况统计表) heads no later numbered section.
            headings.append((pos, pos + len(line), 2))
        pos += len(line) + 1
    ends = [m.start() for m in SENTENCE_END.finditer(text)]
    items = []
    for m in ITEM.finditer(text):
        start = m.end() - len(m.group(0).lstrip())
        i = bisect_left(ends, start)
        items.append((start, ends[i] if i < len(ends) else len(text)))
    return Structure(headings, items, text, ends)
