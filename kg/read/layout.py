"""Layout repair: the stage between reading and normalising, for every format.

A PDF's text layer (and text copied out of a PDF) keeps what the page did to
the report: lines hard-wrapped every 20-30 characters, a running header and a
page number on every page, and a 公文's furniture (红头 ``XX市民政局文件``, 文号
``X民发〔2024〕12号``, 版记 ``抄送…``/``…印发``). This stage undoes it:

- drops page-number lines (``— 3 —``, ``-3-``, ``第3页 共10页``, ``3/10``) and
  running headers/footers (a line at the top or bottom of many pages);
- joins hard-wrapped lines into their paragraphs: a line is wrapped when it is
  as wide as the document's full line (measured, in half-width units) and does
  not end a sentence; a join never crosses a heading, a list item, a table row
  or a blank line, and so figures split by a wrap or a page break
  (``12.⏎5万人``, ``3.46亿⏎元``, ``由每⏎人每月610元``) are whole again;
- removes the spaces a PDF puts between Chinese and digits (``2022 年``) and
  between Chinese characters of a justified line (``全 年 累 计``);
- takes the 公文 furniture out of the text (its 〔2024〕 and 12号 are not
  figures) and returns it as metadata: 文号, date of issue, issuer.

The repaired text comes with an offset map: ``offsets[i]`` is the index in the
reader's text (``Document.text``) of the repaired text's character ``i``, so
figures found in the repaired text point into the text the reader returned.
Formats whose lines are paragraphs (DOCX, HTML, a plain report) are left as
they are unless they show a PDF's wraps or page numbers.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from kg.read.textgrid import table_lines
from kg.records import Document

# Page numbers in their usual forms: — 3 —, -3-, ·3·, 第3页, 第3页 共10页, 3/10, Page 3.
PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-－·•]{1,2}\s*\d{1,4}\s*[—–\-－·•]{1,2}|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$")
BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|\d{1,2}\s*[、.．](?!\d)"
    r"|[①-⑳]|第[一二三四五六七八九十\d]{1,3}[章节条部分]|[一二三四五六七八九十]{1,2}是|[•·▪■◆●]"
    r"|附件|附表|表\s*[0-9一二三四五六七八九十]+|[（(]?\s*单位\s*[:：])")
SENTENCE_END = tuple("。！？!?…")
RECORD_LABEL = re.compile(r"^[^，。；：:\s]{1,8}[：:]")
CAPTION_END = re.compile(r"^[^，。；,;]{4,40}(?:表|一览表|情况表|统计表)\s*$")
# 公文 furniture.
RED_HEAD = re.compile(r"^\s*([\u4e00-\u9fff（）()]{2,40}?(?:局|厅|委员会|委|政府|办公室|办公厅|部|中心|所|站|会))\s*文\s*件\s*$")
DOC_NUMBER = re.compile(r"^\s*(?:签发人[:：]\s*\S{2,4}\s+)?([\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]"
                        r"\s*\d{1,4}\s*号)(?:\s+签发人[:：]\s*\S{2,4})?\s*$")
SIGNER = re.compile(r"^\s*签\s*发\s*人\s*[:：]")
COPY_TO = re.compile(r"^\s*(?:抄\s*送|抄\s*报|主\s*题\s*词|分\s*送)\s*[:：]")
PRINTED_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发\s*$")
# The 印发 line as one string (it may wrap): 苍溪县民政局办公室 2023年1月10日印发.
PRINTED = re.compile(r"(?:^|[。；;:：\s])([\u4e00-\u9fff（）()]{2,30}?)?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})"
                     r"\s*日\s*印\s*发")
PUBLIC = re.compile(r"^\s*[（(]\s*此件[^）)]{0,12}[）)]\s*$")
DATE_LINE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019"
# A PDF's spacing between Chinese and Latin/digits: 2022 年, 1.86 万户, 苍民发〔2023〕5 号.
# Justified lines: a space between two Chinese characters (全 年 累 计) is spacing, not a word break.
PDF_SPACE = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \u00a0]+(?=[0-9A-Za-z%.{_CJK}{_CJK_PUNCT}])"
                       rf"|(?<=[0-9A-Za-z%])[ \u00a0]+(?=[{_CJK}{_CJK_PUNCT}])")
_WIDE = "“”‘’—…·"
_NO_LINE_END = "“‘（《「『(["
_NO_LINE_START = "/，。、；：！？）》」』”’%…·,.;:!?)"
#: A wrapped line is at least this share of the document's full width.
FULL_SHARE = 0.84
#: A line ending a sentence continues its paragraph only this close (half-width units) to the full width.
SENTENCE_SLACK = 6

#: A number cut at its decimal point by the wrap (…低保金4186.⏎3万元).
SPLIT_DECIMAL = re.compile(r"\d\.$")
#: Share of lines that must be full and unfinished for a text to count as hard-wrapped.
MIN_WRAPPED_SHARE = 0.2


@dataclass(frozen=True)
class Repaired:
    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries: index in Document.text of each character, then its length
    changed: bool = False
    doc_number: str | None = None
    issued: date | None = None
    issuer: str | None = None  # from the 红头 (…文件) or the 印发 line
    dropped: dict = field(default_factory=dict)  # what was taken out, by kind: counts

    def original(self, start: int, end: int) -> tuple[int, int]:
        """A [start, end) span of the repaired text in Document.text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass
class _Line:
    start: int  # offset of its first character in Document.text
    text: str  # without the newline
    page: int = 0
    table: bool = False
    drop: str | None = None  # why it is left out
    has_newline: bool = True


def width(s: str) -> int:
    """Display width in half-width units: a Chinese character is two."""
    # runs of wide characters counted by a regex, not character by character: this runs on
    # every line of every file, and Chinese prose is one or two long runs a line
    return len(s) + sum(map(len, _WIDE_RUN.findall(s)))


_WIDE_RUN = re.compile("[\u2e80-\U0010ffff" + re.escape(_WIDE) + "]+")


def _first_unit(s: str) -> str:
    """What a wrap could not split off the start of a line: a number or Latin word, or one
    Chinese character with the punctuation that may not start a line (，。、）” …)."""
    s = s.lstrip()
    m = re.match(r"[0-9A-Za-z.,%]+|.", s)
    if not m:
        return ""
    end = m.end()
    while end < len(s):
        if s[end] in _NO_LINE_START:
            end += 1
        elif s[end] in _NO_LINE_END:  # an opening quote travels with what follows it
            end += 2
        else:
            break
    return s[:end]


def repair(doc: Document) -> Repaired:
    lines = _lines(doc)
    for k in table_lines([ln.text for ln in lines]):
        lines[k].table = True  # a table written as lines of text: its rows are not wrapped prose
    identity = Repaired(doc.text, tuple(range(len(doc.text) + 1)))
    if not lines:
        return identity
    pdf_like = doc.format == "pdf"
    numbers = [ln for ln in lines if not ln.table and PAGE_NUMBER.match(ln.text)]
    full_width, wrapped = _wrap_width(lines)
    if not pdf_like and doc.format == "txt" and (len(numbers) >= 2 or wrapped):
        pdf_like = True  # text copied out of a PDF
    dropped: Counter = Counter()
    meta = _furniture(lines)
    if pdf_like:
        if not doc.page_starts:
            _pages_from_numbers(lines)
        for ln in lines:
            if not ln.table and ln.drop is None and PAGE_NUMBER.match(ln.text):
                ln.drop = "page number"
        _running(lines)
        _page_gaps(lines)
    for ln in lines:
        if ln.drop and ln.drop != PAGE_GAP:
            dropped[ln.drop] += 1
    if not pdf_like and not dropped:
        return Repaired(doc.text, identity.offsets, False, meta.get("doc_number"), meta.get("issued"),
                        meta.get("issuer"))
    chars: list[str] = []
    index: list[int] = []
    kept = [ln for ln in lines if ln.drop is None]
    indents = _indent_starts_paragraph(kept)
    joins = 0
    head_of_paragraph = ""
    for k, ln in enumerate(kept):
        text, start = ln.text, ln.start
        if not chars or chars[-1] == "\n":
            head_of_paragraph = ln.text.strip()
        lead = len(text) - len(text.lstrip(" \t\u3000\u00a0"))
        if pdf_like and chars and chars[-1] != "\n":  # joined to the line before: no indent between
            text, start = text[lead:], start + lead
        body = text.rstrip(" \t\u3000\u00a0") if pdf_like else text
        if pdf_like and not ln.table:  # a table's spaces stand between its columns
            body, idx = _despace(body, start)
        else:
            idx = list(range(start, start + len(body)))
        chars.extend(body)
        index.extend(idx)
        nxt = kept[k + 1] if k + 1 < len(kept) else None
        if not ln.has_newline:
            continue
        if pdf_like and wrapped and nxt is not None and _joins(ln, nxt, full_width, head_of_paragraph, indents):
            joins += 1
            if body[-1:].isascii() and body[-1:].isalpha() and nxt.text.lstrip()[:1].isascii() \
                    and nxt.text.lstrip()[:1].isalpha():
                chars.append(" ")  # two Latin words: the wrap stood for a space
                index.append(ln.start + len(ln.text))
            continue
        chars.append("\n")
        index.append(ln.start + len(ln.text))
    if joins:
        dropped["line break inside a paragraph"] = joins
    text = "".join(chars)
    index.append(len(doc.text))
    return Repaired(text, tuple(index), text != doc.text, meta.get("doc_number"), meta.get("issued"),
                    meta.get("issuer"), dict(dropped))


def _lines(doc: Document) -> list[_Line]:
    table_spans = sorted((t.start, t.end) for t in doc.tables if not t.row_starts)
    rows = {p for t in doc.tables for p in t.row_starts}  # a table broken by a page has furniture between its rows
    out, pos = [], 0
    pages = list(doc.page_starts)
    for raw in doc.text.split("\n"):
        ln = _Line(pos, raw, page=bisect.bisect_right(pages, pos))
        i = bisect.bisect_right(table_spans, (pos, len(doc.text) + 1)) - 1
        ln.table = pos in rows or (i >= 0 and table_spans[i][0] <= pos < table_spans[i][1])
        out.append(ln)
        pos += len(raw) + 1
    if out and doc.text.endswith("\n"):
        out.pop()  # the empty piece after the last newline
    elif out:
        out[-1].has_newline = False
    return out


def _wrap_width(lines: list[_Line]) -> tuple[int, bool]:
    """The full width of a hard-wrapped text, and whether the text is hard-wrapped.

    Wrapped lines of one text are nearly the same width (they fill the measure);
    the full width is the most common width among the widest lines."""
    measured = [(ln, width(ln.text.strip())) for ln in lines if not ln.table and ln.text.strip()]
    widths = [w for _, w in measured]
    if len(widths) < 6:
        return 0, False
    top = sorted(widths)[len(widths) // 2:]
    # The commonest width of the wider half (ties: the wider); a few lines run wider
    # (punctuation hanging in the margin, narrow digits) and are not the measure.
    full = max(Counter(top).items(), key=lambda kv: (kv[1], kv[0]))[0]
    if full < 24:  # a list of short lines, not prose wrapped at a measure
        return full, False
    unfinished = sum(1 for ln, w in measured if w >= FULL_SHARE * full  # a blank line is never that wide
                     and not ln.text.rstrip().endswith(SENTENCE_END))
    longer = sum(1 for w in widths if w > full * 1.25)
    return full, unfinished >= 3 and unfinished >= MIN_WRAPPED_SHARE * len(widths) and longer <= len(widths) * 0.1


def _joins(ln: _Line, nxt: _Line, full: int, paragraph: str = "", indents: bool = False) -> bool:
    """Is the break after ``ln`` a wrap inside a paragraph (which began with ``paragraph``)?
    ``indents``: the text indents its paragraphs' first lines (and only those)."""
    if ln.table or nxt.table or not ln.text.strip() or not nxt.text.strip():
        return False
    label = RECORD_LABEL.match(paragraph)
    if label and nxt.text.strip().startswith(label.group(0)):
        return False  # a record like the one before it (项目：城市低保｜… / 项目：农村低保｜…)
    body = ln.text.rstrip()
    head = nxt.text
    # A wrap: the next line's first unit would not have fitted on this line.
    # Fonts set punctuation narrower than we count and line breakers move whole words,
    # so a wrapped line is within FULL_SHARE of the full width, not at it.
    # A paragraph's indent fills the measure as its characters do.
    w = width(body.rstrip() if indents else body.strip())
    if SPLIT_DECIMAL.search(body) and head[:1].isdigit() and w >= full // 2:
        return True  # 4186.⏎3万元: no line ends on a decimal point; a text wrapped by characters, not by width, looks short
    if w + width(_first_unit(head)) < FULL_SHARE * full:
        return False
    # A sentence that ends just at the measure mostly goes on in the same paragraph (a
    # paragraph has several sentences, one last): joined unless the next line starts a block.
    if body.endswith(SENTENCE_END) and w < full - SENTENCE_SLACK:
        return False
    if CAPTION_END.search(body):  # a table's caption (…情况统计表) stands on its own line
        return False
    # A heading short of the measure ends there (a numbered paragraph, with its 。, is not a heading).
    if HEADING.match(ln.text) and "。" not in body and w + width(_first_unit(head)) <= full - 4:
        return False
    if HEADING.match(head) or PAGE_NUMBER.match(head):
        return False
    if re.match(r"^[ \u3000]{2,}\S", head) and (indents or not re.match(r"^[ \u3000]{2,}\S", ln.text)):
        return False  # an indented first line starts a paragraph
    return True


def _indent_starts_paragraph(lines: list[_Line]) -> bool:
    """Does the text indent first lines only (a minority of its lines), so that an indented line
    always starts a paragraph, even after a full-width heading?"""
    body = [ln for ln in lines if not ln.table and ln.text.strip()]
    indented = sum(1 for ln in body if re.match(r"^[ \u3000]{2,}\S", ln.text))
    return 0 < indented and 2 * indented < len(body)


#: Why a blank line at a page break is left out: it is the page's margin, not a paragraph break.
PAGE_GAP = "blank line at a page break"


def _page_gaps(lines: list[_Line]) -> None:
    """The blank lines around a page's furniture (page number, running header) go with it, so a
    sentence (or a table) that runs over the page break is joined as if the page went on."""
    page_drops = ("page number", "running header or footer")
    k = 0
    while k < len(lines):
        if lines[k].text.strip() and lines[k].drop not in page_drops:
            k += 1
            continue
        j = k
        while j < len(lines) and (not lines[j].text.strip() or lines[j].drop in page_drops):
            j += 1
        if any(lines[n].drop in page_drops for n in range(k, j)) and k > 0 and j < len(lines):
            for n in range(k, j):
                if lines[n].drop is None:
                    lines[n].drop = PAGE_GAP
        k = j


def _despace(body: str, start: int) -> tuple[str, list[int]]:
    """Drop a PDF's spaces between Chinese and Latin/digits, keeping each character's index."""
    idx = list(range(start, start + len(body)))
    if " " not in body and "\u00a0" not in body:
        return body, idx
    keep = [True] * len(body)
    for m in PDF_SPACE.finditer(body):
        for i in range(m.start(), m.end()):
            keep[i] = False
    return "".join(c for c, k in zip(body, keep) if k), [i for i, k in zip(idx, keep) if k]


def _pages_from_numbers(lines: list[_Line]) -> None:
    """Pages of a text without page breaks: a page ends at a page-number line (or a form feed)."""
    page = 0
    for ln in lines:
        ln.page = page
        if "\f" in ln.text or (not ln.table and PAGE_NUMBER.match(ln.text)):
            page += 1


def _running(lines: list[_Line]) -> None:
    """Running headers and footers: the same line (digits aside) at the top or bottom of many pages."""
    pages: dict[int, list[_Line]] = {}
    for ln in lines:
        if ln.drop is None and ln.text.strip() and not ln.table:
            pages.setdefault(ln.page, []).append(ln)
    if len(pages) < 2:
        return
    edges: dict[str, list[_Line]] = {}
    for page_lines in pages.values():
        seen = set()
        for ln in page_lines[:2] + page_lines[-2:]:
            key = re.sub(r"\d+", "#", "".join(ln.text.split()))
            if key not in seen and len(key) <= 60:
                seen.add(key)
                edges.setdefault(key, []).append(ln)
    need = max(2, int(0.4 * len(pages) + 0.5))
    for key, occurrences in edges.items():
        if len({ln.page for ln in occurrences}) >= need:
            for ln in occurrences:
                ln.drop = "running header or footer"
    for page_lines in pages.values():  # a bare number alone at a page's foot is its page number
        last = [ln for ln in page_lines if ln.drop is None]
        if last and BARE_NUMBER.match(last[-1].text):
            last[-1].drop = "page number"


def _furniture(lines: list[_Line]) -> dict:
    """The 公文's 红头, 文号 and 版记, marked dropped, and what they tell."""
    meta: dict = {}
    content = [ln for ln in lines if ln.text.strip() and not ln.table]
    for ln in content[:6]:
        if (m := RED_HEAD.match(ln.text)) and "issuer" not in meta:
            meta["issuer"] = m.group(1)
            ln.drop = "公文 red header"
        elif (m := DOC_NUMBER.match(ln.text)) and "doc_number" not in meta:
            meta["doc_number"] = re.sub(r"\s+", "", m.group(1))
            ln.drop = "公文 document number"
        elif SIGNER.match(ln.text):
            ln.drop = "公文 document number"
    # The 版记 closes a 公文: from its first 抄送/印发 line to the end, all of it (wrapped lines too).
    tail = content[-8:]
    texts = [ln.text.strip() for ln in tail]
    first = next((k for k, t in enumerate(texts) if COPY_TO.match(t) or PUBLIC.match(t)
                  or PRINTED_DATE.search(t + (texts[k + 1] if k + 1 < len(texts) else ""))), None)
    if first is not None:
        for ln in tail[first:]:
            ln.drop = "公文 distribution notes"
        if m := PRINTED.search("".join(texts[first:])):
            try:
                meta["issued"] = date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
            except ValueError:
                pass
            if m.group(1):
                meta.setdefault("issuer", m.group(1))
    if "issued" not in meta:  # the date under the signature closes the report
        for ln in reversed(content[-4:]):
            if ln.drop is None and (m := DATE_LINE.match(ln.text)):
                try:
                    meta["issued"] = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    pass
                break
    return meta
