"""The one completion and scoring rule, shared by every delivery.

A module is complete when every page was viewed and every knowledge check answered; success is
the weighted knowledge-check score against the pass mark. Reflections never count: nobody is
made to disclose. ``module_key`` hands the same rule's inputs to the JS player, which applies it
in SCORM packages and the preview (``static/player.js``, function ``summarise``).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import markdown_html
from .model import Module, Question, fingerprint


@dataclass(frozen=True)
class Summary:
    complete: bool
    score: float          # 0-100, weighted share of knowledge checks answered correctly
    passed: bool
    pages_seen: int
    pages: int
    answered: int
    questions: int


def is_correct(question: Question, selected) -> bool:
    return set(selected) == set(question.correct_ids)


def weighted_score(weights: dict[str, float], answers: dict[str, bool]) -> float:
    """0-100: the weighted share of knowledge checks (id → weight) answered correctly."""
    total = sum(weights.values())
    got = sum(w for qid, w in weights.items() if answers.get(qid))
    return round(100 * got / total, 2) if total else 100.0


def summarise(module: Module, pages_seen, answers: dict[str, bool]) -> Summary:
    """``pages_seen``: page ids viewed; ``answers``: question id → answered correctly."""
    page_ids = {p.id for p in module.pages}
    seen = len(page_ids & set(pages_seen))
    questions = module.questions
    answered = [q for q in questions if q.id in answers]
    score = weighted_score({q.id: q.weight for q in questions}, answers)
    complete = seen == len(page_ids) and len(answered) == len(questions)
    return Summary(complete, score, score >= module.pass_mark, seen, len(page_ids),
                   len(answered), len(questions))


def module_key(module: Module) -> dict:
    """What the JS player needs to apply the rule and give feedback without a server."""
    return {
        "id": module.id, "title": module.title, "version": module.version,
        "passMark": module.pass_mark,
        "pages": [p.id for p in module.pages],
        "pagesFp": fingerprint(*(p.id for p in module.pages)),
        "questions": {q.id: {
            "type": q.type, "fp": q.fingerprint, "weight": q.weight, "attempts": q.attempts,
            "prompt": markdown_html.render(q.prompt),
            "correct": list(q.correct_ids),
            "options": {o.id: {"text": markdown_html.render_inline(o.text),
                               "feedback": markdown_html.render(o.feedback)} for o in q.options},
            "explanation": markdown_html.render(q.explanation),
        } for q in module.questions},
        "scenarios": {s.id: {"fp": s.fingerprint} for s in module.scenarios},
        "confidence": {c.id: {"fp": c.fingerprint, "after": c.after,
                              "statements": [s.id for s in c.statements]} for c in module.confidence_checks},
        "reflections": {r.id: {"max": r.max_length, "prompt": markdown_html.render(r.prompt)}
                        for r in module.reflections},
    }
