"""Link each figure to its programme, group, measure and period.

Scope follows GOLD.md's conventions: the programme (or group) named in the
figure's own stretch of the clause, else in its clause, else in its
sentence, else in its numbered item's heading, else in its section heading.
Measures come from the unit's kind and cue words, both read from the ontology.

How ``link`` decides, one figure at a time (kg.nlp.rules lists every rule in this
order), one module per stage, each small enough to read in one sitting:

1. ``structure``: where headings, numbered items and sentences stand (the scopes);
2. ``candidates``: the mentions indexed; in a list, the names each figure claims for
   itself (``_claims``); the facts about the figure's stretch of text (``_candidates``);
3. ``proposals``: for each slot, the steps of ``PROPOSALS`` in order until one names a
   concept; a veto marks the slot blocked and stops the stoppable proposals after it;
   the scopes (clause, sentence, item, section) pick with the pick rules (``scopes``);
4. ``revisions``: the steps of ``REVISIONS`` in order;
5. ``decision``: ``link`` runs 2–4 for each figure and records the rules that decided it;
6. ``measure`` (``measure_of``, its rules in order), then ``groups`` (``refine_groups``,
   groups once measures are known), and ``period`` (``figure_period``).

``names`` holds the rules' names and ``concepts`` what the ontology says between two
mentions. Every rule is a name from kg.nlp.rules; ``disabled`` switches rules off by
name, and each figure's ``Link.decided_by`` names the rules that decided it.
"""
from kg.nlp.linking.candidates import DEFAULT_LEVELS, HEADING_LEVELS, LEVELS, SLOTS, Link, Mentions
from kg.nlp.linking.concepts import _programme_in_name, _serves
from kg.nlp.linking.decision import link
from kg.nlp.linking.groups import refine_groups
from kg.nlp.linking.measure import measure, measure_of
from kg.nlp.linking.names import *  # noqa: F401,F403 -- the rules' names, as kg.nlp.rules and its tests read them
from kg.nlp.linking.names import LEVEL_RULES
from kg.nlp.linking.period import figure_period
from kg.nlp.linking.proposals import PROPOSALS
from kg.nlp.linking.revisions import INSTITUTION_WORDS, REVISIONS
from kg.nlp.linking.structure import Structure, structure

__all__ = ["DEFAULT_LEVELS", "HEADING_LEVELS", "INSTITUTION_WORDS", "LEVELS", "LEVEL_RULES", "Link", "Mentions",
           "PROPOSALS", "REVISIONS", "SLOTS", "Structure", "_programme_in_name", "_serves", "figure_period", "link",
           "measure", "measure_of", "refine_groups", "structure"]
