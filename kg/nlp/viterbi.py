"""jieba's part-of-speech HMM decoder, with the same answers in a fraction of the time.

jieba.posseg runs its HMM (``jieba.posseg.viterbi.viterbi``) over every run of
characters its dictionary does not join, which agency names are full of
(kg.nlp.entities.pos_cut). For each character and each candidate state it tries
every previous state, although each state can follow only some twenty of the
256: the others add ``-inf`` and never win. Here only the previous states that
can lead to the candidate are tried, the rest are skipped unless no state can
(then, as in jieba, the highest-sorting previous state at ``-inf``). Sums are
added in jieba's order and ties broken as ``max`` over ``(prob, state)`` breaks
them, so the result is jieba's bit for bit (tests/test_entities.py).
"""
from __future__ import annotations

MIN_FLOAT = -3.14e100  # jieba's: an emission the model never saw
MIN_INF = float("-inf")  # jieba's: a transition the model does not have

def incoming_of(trans_p: dict) -> dict:
    """state -> {previous state: log probability}: the transitions reversed (make it once
    per table and pass it in: kg.nlp.postag does)."""
    inc: dict = {}
    for y0, nexts in trans_p.items():
        for y, p in nexts.items():
            inc.setdefault(y, {})[y0] = p
    return inc


_FOLLOWING: dict[int, tuple[dict, dict]] = {}


def _following(trans_p: dict) -> dict:
    """previous states (a tuple) -> the states any of them can lead to, for this table:
    a function of the model alone, filled as decoding meets each set of states."""
    got = _FOLLOWING.get(id(trans_p))
    if got is None or got[0] is not trans_p:
        got = _FOLLOWING[id(trans_p)] = (trans_p, {})
    return got[1]


def viterbi(obs, states, start_p, trans_p, emit_p, incoming: dict | None = None):
    """``jieba.posseg.viterbi.viterbi``: (log probability, state per character).
    ``incoming`` is ``incoming_of(trans_p)``, made here if not given."""
    if incoming is None:
        incoming = incoming_of(trans_p)
    all_states = trans_p.keys()
    following = _following(trans_p)
    V = {}
    first = obs[0]
    mem_path = [{}]
    for y in states.get(first, all_states):
        V[y] = start_p[y] + emit_p[y].get(first, MIN_FLOAT)
        mem_path[0][y] = ""
    for t in range(1, len(obs)):
        prev = mem_path[t - 1]
        prev_states = [x for x in prev if trans_p[x]]
        key = tuple(prev_states)
        expect_next = following.get(key)
        if expect_next is None:  # the states a run's characters pass through are few
            expect_next = following[key] = frozenset(y for x in prev_states for y in trans_p[x])
        obs_states = set(states.get(obs[t], all_states)) & expect_next
        if not obs_states:
            obs_states = expect_next if expect_next else all_states
        c = obs[t]
        newV, path = {}, {}
        for y in obs_states:
            e = emit_p[y].get(c, MIN_FLOAT)
            inc = incoming.get(y, {})
            if len(inc) < len(prev_states):
                cands = [(V[y0] + p + e, y0) for y0, p in inc.items() if y0 in prev]
            else:
                cands = [(V[y0] + trans_p[y0][y] + e, y0) for y0 in prev_states if y in trans_p[y0]]
            if not cands:  # no state leads here: jieba's max over -inf sums (raises if none at all)
                cands = [(V[y0] + MIN_INF + e, y0) for y0 in prev_states]
            newV[y], path[y] = max(cands)
        V = newV
        mem_path.append(path)

    prob, state = max((V[y], y) for y in mem_path[-1])
    route = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = mem_path[i][state]
    return prob, route
