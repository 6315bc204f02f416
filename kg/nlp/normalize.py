"""Text normalisation with an offset map back to the original file.

Reports arrive in Traditional or Simplified script, with full-width digits,
pinyin glosses left in by web copies (``區(qū)``) and garbled stretches. Every
later stage works on the normalised text, but every figure must point back to
its exact place in the ORIGINAL text, so each output character remembers the
index of the input character it came from.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A pinyin gloss is a parenthesised syllable with a tone mark (or ü): real
# parentheses such as 村(社区) or (试行) hold no tone-marked Latin letters.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN_GLOSS = re.compile(
    rf"[(（]\s*[a-zA-Z{_TONED}]*[{_TONED}][a-zA-Z{_TONED}]*\s*[)）]"
)
# Mojibake seen in scraped copies: ``?!`` runs where quote marks were, the
# replacement character, and C0/C1 control characters other than layout.
GARBLED = re.compile(r"[?？]!+|\ufffd+|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
# Quote marks lost to a question mark each (开展?婚姻家庭辅导进社区?活动): a
# short run of words between two, inside a sentence, is a quotation, not a question.
LOST_QUOTES = re.compile(r"(?<=[\u4e00-\u9fff])\?(?!是否|如何|怎|为何|为什么|什么|哪)([\u4e00-\u9fff][^?\n,。;:!]{0,18}?[\u4e00-\u9fff])\?(?=[\u4e00-\u9fff])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus, for each of its characters, the original index."""

    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)
    warnings: tuple[str, ...] = ()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the original."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_chars() -> dict[int, str]:
    """Character-level t2s table from OpenCC's own dictionary (first choice)."""
    import os

    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    table: dict[int, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1:
                table[ord(parts[0])] = parts[1]
    return table


@lru_cache(maxsize=1)
def _t2s_sources() -> frozenset[str]:
    """The characters the table converts, as a set: a set tests a whole string in one call."""
    return frozenset(map(chr, _t2s_chars()))


def to_simplified(text: str) -> str:
    """Traditional to Simplified, keeping the length (so offsets stay valid).

    OpenCC's phrase-aware conversion is used line by line; where a phrase rule
    would change a line's length, that line falls back to the 1:1 character
    table, which is what keeps the offset map exact.
    """
    table = _t2s_chars()
    traditional = _t2s_sources()
    if traditional.isdisjoint(text):
        return text
    by_table = text.translate(table)  # one character for one: offsets hold
    ambiguous = _t2s_ambiguous()
    if ambiguous.isdisjoint(text):
        return by_table
    out, pos, checked = [], 0, 0
    # Phrases never span punctuation, so each clause is converted on its own:
    # by the table where every character has one answer, by OpenCC elsewhere.
    # Only the clauses around an ambiguous character are looked at (a report has
    # some 900 clauses and a few dozen such characters).
    for hit in _ambiguous_pattern().finditer(text):
        if hit.start() < checked:
            continue  # in the clause just looked at
        start = hit.start()
        while start > 0 and not _CLAUSE_BREAK.match(text, start - 1):
            start -= 1
        end = _CLAUSE_BREAK.search(text, hit.end())
        end = checked = end.start() if end else len(text)
        piece = text[start:end]
        if not traditional.isdisjoint(piece):
            phrased = _t2s().convert(piece)
            if len(phrased) == len(piece):
                out += [by_table[pos:start], phrased]
                pos = end
    if not out:
        return by_table
    out.append(by_table[pos:])
    return "".join(out)


_CLAUSE_BREAK = re.compile(r"[\n,。;、:!?，；：！？()（）“”「」《》\s]")  # phrases never span one


@lru_cache(maxsize=1)
def _ambiguous_pattern() -> re.Pattern:
    return re.compile("[" + "".join(map(re.escape, sorted(_t2s_ambiguous()))) + "]")


@lru_cache(maxsize=1)
def _t2s_ambiguous() -> frozenset[str]:
    """Characters whose Simplified form depends on the phrase around them: those
    with several candidates, and those in a phrase that OpenCC converts otherwise
    than character by character. Elsewhere the character table is exact and
    much faster than OpenCC's phrase search."""
    import os

    import opencc

    table = _t2s_chars()
    folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
    out = set()
    with open(os.path.join(folder, "TSCharacters.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) > 2:
                out.add(parts[0])
    with open(os.path.join(folder, "TSPhrases.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2 or parts[0].translate(table) == parts[1]:
                continue
            if len(parts[1]) != len(parts[0]):
                out.update(parts[0])
            else:  # only the characters the phrase converts otherwise
                out.update(a for a, b in zip(parts[0], parts[1]) if a.translate(table) != b)
    return frozenset(out)


@lru_cache(maxsize=None)
def _nfkc_char(c: str) -> str:
    # Cached per character: a report has a few thousand characters but a few hundred distinct ones.
    if c.isascii():
        return c
    n = unicodedata.normalize("NFKC", c)
    # Full-width punctuation that NFKC would turn into ASCII is kept as the
    # Chinese report wrote it where the ASCII form changes meaning for us
    # (、。 are not touched by NFKC; ，；：（） become , ; : ( ) which we want).
    return n


_DROPPED = re.compile(r"[\r\ufeff]")  # never copied to the normalised text
# UTF-8 punctuation read as cp1252 by a scraper (“ → â€œ, ” → â€\x9d, often
# with its last byte lost: â€? or bare â€). The last character of the run becomes
# the mark, the rest is dropped, so every offset still points into the file.
MOJIBAKE = re.compile("â€(œ|\x9d|\\?|˜|™|”|“|¦|(?=[\u4e00-\u9fff]))")
_MOJIBAKE_MARK = {"œ": "“", "\x9d": "”", "?": "”", "˜": "‘", "™": "’", "”": "—", "“": "–", "¦": "…", "": "”"}
_WS = " \t\u00a0\u3000"


def normalize(original: str) -> Normalized:
    """Normalise a report's text; see the module docstring."""
    warnings = []
    for m in GARBLED.finditer(original):
        frag = original[max(0, m.start() - 4): m.end() + 4].replace("\n", " ")
        warnings.append(f"garbled text at offset {m.start()}: {frag!r}")

    # Stretches that are copied (no pinyin gloss, no CR or BOM), each character
    # by its NFKC form. Most characters are their own form: a stretch is then
    # translated and its offsets taken as a range, not character by character.
    repaired = list(MOJIBAKE.finditer(original))
    mojibake = {m.end() - 1: _MOJIBAKE_MARK[m.group(1)] for m in repaired}
    if repaired:
        warnings.append(f"mojibake repaired at {len(repaired)} place(s), first at offset {repaired[0].start()}")
    dropped = sorted([(m.start(), m.end()) for m in PINYIN_GLOSS.finditer(original)]
                     + [(m.start(), m.end()) for m in _DROPPED.finditer(original)]
                     + [(m.start(), m.end() - 1) for m in repaired])
    kept, pos = [], 0
    for a, b in dropped:
        if a > pos:
            kept.append((pos, a))
        pos = max(pos, b)
    if pos < len(original):
        kept.append((pos, len(original)))
    if mojibake:  # each repaired mark is a stretch of its own
        split = []
        for a, b in kept:
            for i in sorted(k for k in mojibake if a <= k < b):
                if i > a:
                    split.append((a, i))
                split.append((i, i + 1))
                a = i + 1
            if a < b:
                split.append((a, b))
        kept = split
    forms = {c: _nfkc_char(c) for c in set(original)}
    one_to_one = {ord(c): n for c, n in forms.items() if n != c and len(n) == 1}
    expanding = {c for c, n in forms.items() if len(n) != 1}
    chars: list[str] = []
    index: list[int] = []
    for a, b in kept:
        stretch = original[a:b]
        if a in mojibake and b == a + 1:
            chars.append(mojibake[a])
            index.append(a)
        elif expanding.isdisjoint(stretch):
            chars.append(stretch.translate(one_to_one))
            index.extend(range(a, b))
        else:  # a character NFKC expands (㈱ -> (株)): each output character keeps its source's index
            for i in range(a, b):
                for ch in forms[original[i]]:
                    chars.append(ch)
                    index.append(i)
    text = to_simplified("".join(chars))
    text = LOST_QUOTES.sub(lambda m: "“" + m.group(1) + "”", text)  # one for one: offsets hold

    # Tidy spaces: runs collapse to one, none at line ends or starts.
    out_chars: list[str] = []
    out_index: list[int] = []
    for line_start, line in _lines_with_starts(text):
        stripped = line.strip(_WS)
        lead = len(line) - len(line.lstrip(_WS))
        pos = line_start + lead
        last = 0
        for m in _SPACES.finditer(stripped):
            out_chars.append(stripped[last: m.start()])
            out_index.extend(index[pos + last: pos + m.start()])
            out_chars.append(" ")
            out_index.append(index[pos + m.start()])
            last = m.end()
        out_chars.append(stripped[last:])
        out_index.extend(index[pos + last: pos + len(stripped)])
        end = line_start + len(line)
        if end < len(text):  # the newline itself
            out_chars.append("\n")
            out_index.append(index[end])
    out_index.append(len(original))
    return Normalized("".join(out_chars), tuple(out_index), tuple(warnings))


def _lines_with_starts(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1
