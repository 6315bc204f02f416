"""jieba's part-of-speech cut (``jieba.posseg``), with the same answers in less time.

kg.entities tags thousands of short stretches a report (the words before an
agency's type word or a programme's head word). For each, jieba finds the best
split in two Python passes that each build a dict: ``get_DAG`` (the dictionary
words starting at each character) and ``calc`` (the best route from each
character, ``max`` over a generator of tuples). Here both are one backward
loop over lists. The sums are jieba's, made in its order, and ties go to the
longer word as its ``max`` over ``(log p, end)`` sends them; the tags, the
regular expressions and the HMM for unknown runs are jieba's own. The route
is made once for a cut with and without the HMM (kg.nlp.entities.pos_cut may
need both). tests/test_entities.py checks the tokens against jieba's.
"""
from __future__ import annotations

from math import log

from jieba.posseg import (char_state_tab_P, emit_P, pair, re_eng, re_eng1, re_han_detail, re_han_internal, re_num,
                          re_skip_detail, re_skip_internal, start_P, trans_P)

from kg.nlp.viterbi import incoming_of, viterbi

_INCOMING = incoming_of(trans_P)  # jieba's transitions reversed, once


def blocks(dt, sentence: str) -> list[tuple[str, list[int] | None]]:
    """``sentence`` in jieba's blocks: (Han block, its route) or (other text, None).
    ``dt`` is a jieba.posseg.POSTokenizer."""
    dt.makesure_userdict_loaded()
    dt.tokenizer.check_initialized()
    out = []
    for blk in re_han_internal.split(sentence):
        if blk:
            out.append((blk, route(blk, dt.tokenizer)) if re_han_internal.match(blk) else (blk, None))
    return out


def cut(dt, parts: list[tuple[str, list[int] | None]], hmm: bool) -> list[pair]:
    """``list(dt.cut(sentence, HMM=hmm))`` for ``parts = blocks(dt, sentence)``."""
    out: list[pair] = []
    for blk, ends in parts:
        if ends is not None:
            out += _han_hmm(dt, blk, ends) if hmm else _han(dt, blk, ends)
            continue
        for x in re_skip_internal.split(blk):
            if re_skip_internal.match(x):
                out.append(pair(x, "x"))
            else:
                for xx in x:
                    if re_num.match(xx):
                        out.append(pair(xx, "m"))
                    elif re_eng.match(x):
                        out.append(pair(xx, "eng"))
                    else:
                        out.append(pair(xx, "x"))
    return out


def cut_backwards(dt, parts: list[tuple[str, list[int] | None]]):
    """``reversed(cut(dt, parts, hmm=True))``, lazily: a run of single characters that
    needs the HMM is decoded only when the reader gets to it. A reader that stops at the
    first verb from the right (kg.nlp.entities._proper_name_start) never pays for the
    runs to its left. The tokens are ``cut``'s, for the walk splits a block at every word
    of two or more characters, and what lies right of such a word never depends on what
    lies left of it."""
    pieces: list = []  # pairs, and the runs the HMM will split (as str)
    for blk, ends in parts:
        if ends is None:
            pieces += cut(dt, [(blk, None)], hmm=False)
        else:
            pieces += _walk(dt, blk, ends, lambda word, x, y: y - x == 1, lambda buf: _singles(dt, buf, lazy=True))
    for piece in reversed(pieces):
        if isinstance(piece, str):
            yield from reversed(_cut_detail(piece))
        else:
            yield piece


def word_lengths(tokenizer, sentence: str) -> list[int]:
    """The lengths of ``tokenizer.cut(sentence, HMM=False)``'s words (jieba's plain cut,
    not the part-of-speech one): its blocks, its route (``route``), its runs of single
    Latin letters and digits made one word."""
    from jieba import re_eng, re_han_default, re_skip_default

    tokenizer.check_initialized()
    out: list[int] = []
    for blk in re_han_default.split(sentence):
        if not blk:
            continue
        if re_han_default.match(blk):
            ends = route(blk, tokenizer)
            x, run = 0, 0
            while x < len(blk):
                y = ends[x] + 1
                if y - x == 1 and re_eng.match(blk, x):
                    run += 1
                else:
                    if run:
                        out.append(run)
                        run = 0
                    out.append(y - x)
                x = y
            if run:
                out.append(run)
        else:
            for x in re_skip_default.split(blk):
                if re_skip_default.match(x):
                    out.append(len(x))
                else:
                    out += [1] * len(x)
    return out


def route(sentence: str, tokenizer) -> list[int]:
    """For each character, where jieba's best word starting there ends (inclusive):
    ``Tokenizer.calc`` over ``Tokenizer.get_DAG``, in one pass."""
    freq = tokenizer.FREQ
    logtotal = log(tokenizer.total)
    weights = _weights(tokenizer, logtotal)
    n = len(sentence)
    best = [0.0] * (n + 1)
    ends = [0] * n
    for k in range(n - 1, -1, -1):
        top, end = 0.0, -1
        i, frag = k, sentence[k]
        while i < n:
            w = weights.get(frag, _UNSEEN)
            if w is _UNSEEN:  # first met: jieba's dictionary says (a 0 marks a prefix only)
                if frag not in freq:
                    break
                w = weights[frag] = log(freq[frag]) - logtotal if freq[frag] else None
            if w is not None:  # a word
                p = w + best[i + 1]  # jieba's sum, log(f) - logtotal first
                if end < 0 or p >= top:  # ends rise: on a tie the later one wins, as in max()
                    top, end = p, i
            i += 1
            frag = sentence[k:i + 1]
        if end < 0:  # no word starts here: the character alone
            top, end = log(freq.get(sentence[k]) or 1) - logtotal + best[k + 1], k
        best[k], ends[k] = top, end
    return ends


_UNSEEN = object()
_WEIGHTS: dict[int, tuple[object, float, dict]] = {}


def _weights(tokenizer, logtotal: float) -> dict:
    """word or prefix of jieba's dictionary -> log(freq) - log(total), or None for a prefix:
    filled as words are met, for the tokenizer's dictionary as it stands."""
    got = _WEIGHTS.get(id(tokenizer))
    if got is None or got[0] is not tokenizer or got[1] != logtotal:
        got = _WEIGHTS[id(tokenizer)] = (tokenizer, logtotal, {})
    return got[2]


def _han(dt, blk: str, ends: list[int]) -> list[pair]:
    """``POSTokenizer.__cut_DAG_NO_HMM``: runs of Latin letters and digits make one word."""
    return _walk(dt, blk, ends, lambda word, x, y: bool(re_eng1.match(word)), lambda buf: [pair(buf, "eng")])


def _han_hmm(dt, blk: str, ends: list[int]) -> list[pair]:
    """``POSTokenizer.__cut_DAG``: runs of single characters go to the HMM unless the dictionary knows them."""
    return _walk(dt, blk, ends, lambda word, x, y: y - x == 1, lambda buf: _singles(dt, buf))


def _walk(dt, blk: str, ends: list[int], buffered, flush) -> list[pair]:
    """The words of the best route, tagged; the ones ``buffered`` says gather into a run
    that ``flush`` turns into pairs (the two jieba routines differ only there)."""
    tags = dt.word_tag_tab
    out, buf, x = [], "", 0
    while x < len(blk):
        y = ends[x] + 1
        word = blk[x:y]
        if buffered(word, x, y):
            buf += word
        else:
            if buf:
                out += flush(buf)
                buf = ""
            out.append(pair(word, tags.get(word, "x")))
        x = y
    if buf:
        out += flush(buf)
    return out


def _singles(dt, buf: str, lazy: bool = False) -> list:
    tags = dt.word_tag_tab
    if len(buf) == 1:
        return [pair(buf, tags.get(buf, "x"))]
    if not dt.tokenizer.FREQ.get(buf):
        return [buf] if lazy else _cut_detail(buf)  # jieba's HMM (later, for cut_backwards)
    return [pair(c, tags.get(c, "x")) for c in buf]


def _cut_detail(sentence: str) -> list[pair]:
    """``POSTokenizer.__cut_detail``: jieba's HMM over a run its dictionary does not
    join, decoded by kg.nlp.viterbi (the same states, faster) with jieba's own model
    tables. A copy of jieba's routine rather than a patch of its module, so jieba
    itself is left as installed."""
    out: list[pair] = []
    for blk in re_han_detail.split(sentence):
        if re_han_detail.match(blk):
            out += _hmm_words(blk)
        else:
            for x in re_skip_detail.split(blk):
                if x:
                    out.append(pair(x, "m" if re_num.match(x) else "eng" if re_eng.match(x) else "x"))
    return out


def _hmm_words(sentence: str) -> list[pair]:
    """``POSTokenizer.__cut``: the words and tags of the best state path."""
    _, pos_list = viterbi(sentence, char_state_tab_P, start_P, trans_P, emit_P, _INCOMING)
    out, begin, nexti = [], 0, 0
    for i, char in enumerate(sentence):
        pos = pos_list[i][0]
        if pos == "B":
            begin = i
        elif pos == "E":
            out.append(pair(sentence[begin:i + 1], pos_list[i][1]))
            nexti = i + 1
        elif pos == "S":
            out.append(pair(char, pos_list[i][1]))
            nexti = i + 1
    if nexti < len(sentence):
        out.append(pair(sentence[nexti:], pos_list[nexti][1]))
    return out
