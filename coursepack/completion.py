"""The one completion and scoring rule, shared by every delivery.

A module is complete when every page was viewed and every knowledge check answered; success is
the weighted knowledge-check score against the pass mark. Reflections never count: nobody is
made to disclose. ``module_key`` hands the same rule's inputs to the JS player, which applies it
in SCORM packages and the preview (``player/shell.js``, function ``summarise``, with the judges
of the kinds' ``shell.js``).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import elements, markdown_html
from .model import Element, Module, fingerprint


@dataclass(frozen=True)
class Summary:
    complete: bool
    score: float          # 0-100, weighted share of knowledge checks answered correctly
    passed: bool
    pages_seen: int
    pages: int
    answered: int
    questions: int


def is_correct(check: Element, answer) -> bool:
    """Whether an answer to a knowledge check (of any graded kind) is right."""
    return elements.kind_of(check).judge(check, answer)["correct"]


def weighted_score(weights: dict[str, float], answers: dict[str, bool]) -> float:
    """0-100: the weighted share of knowledge checks (id → weight) answered correctly."""
    total = sum(weights.values())
    got = sum(w for qid, w in weights.items() if answers.get(qid))
    return round(100 * got / total, 2) if total else 100.0


# -- Open edX's grader ---------------------------------------------------------------------------
# A module's result as Open edX's grader computes it, so the figure under a knowledge check is
# the one the Progress page shows.
#
# The OLX build makes each module an assignment type and each of its sections with knowledge
# checks a graded subsection (``olx_export.course.grading_policy``: ``min_count`` = those sections,
# ``drop_count`` 0). edx-platform scores a subsection as its points earned over points possible,
# rounded to two places (``compute_percent``, numpy's ``around``), and an assignment type as the
# plain average of its subsections' percentages (``AssignmentFormatGrader``): a one-point
# subsection counts as much as a ten-point one. SCORM packages use the weighted share of all the
# module's points instead (``weighted_score``); the two agree when a module has one graded
# section or its sections carry equal points.
def assignment_type(module: Module) -> str:
    """The module's assignment type in the OLX course's grading policy: its title. The
    platform's Grade Report names its columns by it, so the governance report finds them."""
    return module.title


def subsection_fraction(earned: float, possible: float) -> float:
    """earned / possible to two places, as numpy's ``around`` does it (round half to even of x·100)."""
    return round(earned / possible * 100) / 100 if possible > 0 else 0.0


def assignment_type_percent(weights: dict[str, float], sections: dict[str, str], answers: dict[str, bool]) -> float:
    """0-100: the average over graded subsections of their fractions. ``weights``: question id →
    points; ``sections``: question id → subsection (one subsection for ids it does not name);
    ``answers``: question id → answered correctly."""
    totals: dict[str, list[float]] = {}
    for qid, weight in weights.items():
        earned_possible = totals.setdefault(str(sections.get(qid, "")), [0.0, 0.0])
        earned_possible[0] += weight if answers.get(qid) else 0.0
        earned_possible[1] += weight
    if not totals:
        return 100.0
    fractions = [subsection_fraction(e, p) for e, p in totals.values()]
    return round(100 * sum(fractions) / len(fractions), 2)


def graded_sections(module: Module) -> dict[str, str]:
    """Knowledge check id → the section it is in: the graded subsections of the module's
    assignment type in the OLX course (and what ``assignment_type_percent`` averages over)."""
    graded = {id(e) for e in module.graded}
    return {e.id: s.id for s in module.sections for p in s.pages for e in p.elements if id(e) in graded}


def summarise(module: Module, pages_seen, answers: dict[str, bool]) -> Summary:
    """``pages_seen``: page ids viewed; ``answers``: knowledge check id → answered correctly."""
    page_ids = {p.id for p in module.pages}
    seen = len(page_ids & set(pages_seen))
    questions = module.graded
    answered = [q for q in questions if q.id in answers]
    score = weighted_score({q.id: q.weight for q in questions}, answers)
    complete = seen == len(page_ids) and len(answered) == len(questions)
    return Summary(complete, score, score >= module.pass_mark, seen, len(page_ids),
                   len(answered), len(questions))


def module_key(module: Module) -> dict:
    """What the JS player needs to apply the rule and give feedback without a server: each
    stateful element's entry (its kind's ``key``) under its kind's group. Term links in the
    HTML point at the definitions of the element's own page."""
    key = {
        "id": module.id, "title": module.title, "version": module.version,
        "passMark": module.pass_mark,
        "pages": [p.id for p in module.pages],
        "pagesFp": fingerprint(*(p.id for p in module.pages)),
        **{k.key_group: {} for k in elements.stateful()},
    }
    for page in module.pages:
        prefix = markdown_html.term_prefix("", page.id)
        for e in page.elements:
            kind = elements.kind_of(e)
            if kind.stateful:
                key[kind.key_group][e.id] = _anchored(kind.key(e), prefix)
    return key


def _anchored(value, prefix: str):
    if isinstance(value, str):
        return markdown_html.anchor_terms(value, prefix)
    if isinstance(value, dict):
        return {k: _anchored(v, prefix) for k, v in value.items()}
    return value
