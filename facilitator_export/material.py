"""One module as a session: its pages turned into slides, each with what the room sees and what
only the facilitator reads.

A slide never carries what the group should reach itself: a question's right answer, its
feedback and explanation, and where each path of a scenario leads, go into the speaker notes
only. How each element kind becomes slides is one entry of ``SLIDES``, keyed by the kind's name;
a kind the kit does not know yet shows its learner texts (``coursepack.elements.learner_texts``),
so a new kind never breaks a build. Elements of the ``facilitator`` kind (notes authors write
for the kit only) are never shown: their text joins the notes of the slide before them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from coursepack import elements
from coursepack.model import Module, Pack, Page

from .text import Line, lines, plain

STAFF = "Staff facilitator"
PARTNER = "Lived-experience co-facilitator, if agreed at the preparation meeting (otherwise the staff facilitator)"
BOTH = "Both facilitators"
FACILITATOR_KIND = "facilitator"
# What a slide may hold before it goes on to a second slide of the same title.
MAX_LINES, MAX_WORDS = 6, 75
NO_SHARING = "Talk in pairs. Share only what you choose to. You do not have to share anything."


@dataclass
class Slide:
    """``role`` says what the session does with it (for timings and the 45-minute cut):
    "open", "teach", "voice", "scenario", "question", "pair", "check", "pause", "close"."""
    title: str
    body: list[Line]
    notes: list[str]
    role: str = "teach"
    lead: str = STAFF
    section: str = ""
    core: bool = True          # kept in the 45-minute session
    number: int = 0
    image: Line | None = None  # a picture and its alt text (``Line("img", alt, src)``)


@dataclass
class Session:
    module: Module
    slides: list[Slide] = field(default_factory=list)
    facilitator_notes: int = 0     # notes written by authors (``::: facilitator``) the kit used

    def discussions(self) -> list[Slide]:
        return [s for s in self.slides if s.role in ("scenario", "question", "pair")]


def _p(text: str) -> Line:
    return Line("p", text)


def _li(text: str) -> Line:
    return Line("li", text)


def _split(title: str, body: list[Line], make) -> list[Slide]:
    """``body`` over as few slides as keep each readable (at most 6 lines, about 75 words)."""
    chunks: list[list[Line]] = [[]]
    for line in body:
        words = sum(len(l.text.split()) for l in chunks[-1])
        if chunks[-1] and (len(chunks[-1]) >= MAX_LINES or words + len(line.text.split()) > MAX_WORDS):
            chunks.append([])
        chunks[-1].append(line)
    return [make(title if n == 0 else f"{title} (continued)", chunk) for n, chunk in enumerate(chunks)]


def prose_slides(e, page: Page) -> list[Slide]:
    found = [l for l in lines(e.markdown)]
    slides = [Slide(f"Picture: {page.title}", [], [f"Picture: {l.text}" if l.text else "A picture with no description."],
                    image=l) for l in found if l.style == "img"]
    text = [l for l in found if l.style != "img"]
    if not text:
        return slides
    found = _split(page.title, text, lambda t, c: Slide(t, c, [], core=t == page.title))
    found[0].notes.append("Put this in your own words, and ask the group for an example from their work.")
    return found + slides


def callout_slides(e, page: Page) -> list[Slide]:
    text = plain(e.markdown)
    if e.style == "key-point":
        return [Slide(f"Key point: {page.title}", [_p(text)], ["Give the group a moment to read this. Ask what it means for their work."])]
    if e.style == "lived-experience":
        return [Slide("In their own words", [_p(f"“{text}”"), _p(f"From: {e.by}")],
                      ["This is an illustrative voice from the module, not the co-facilitator's own story. "
                       "The co-facilitator may read it and say what it brings up for them, only if they choose to."],
                      role="voice", lead=PARTNER)]
    if e.style == "content-note":
        return [Slide("Content note", [_p(text)], ["Say this before the part it is about. Remind people they can step out."],
                      role="pause")]
    return [Slide(e.by or "Take a pause", [_p(text or "Take a moment if you need one."),
                                           _p("Support lines are on the handout.")],
                  ["Pause here. Name the support lines on the handout. Check in with anyone who has stepped out."],
                  role="pause")]


def scenario_slides(e, page: Page) -> list[Slide]:
    """Each step that asks for a decision is a slide: what happens and the choices as prompts.
    Where each choice leads, what the module says about it and the endings: notes only."""
    slides = []
    title = e.title or page.title
    for step in e.steps:
        if step.ending:
            continue
        body = [_p(l.text) for l in lines(step.text)]
        body += [_li(f"{chr(65 + n)}. {plain(c.text)}") for n, c in enumerate(step.choices)]
        body.append(_p("Decide together: which would you choose, and why?"))
        notes = ["Ask the group to decide together what to do, and why. Then read out what happens next."]
        for n, c in enumerate(step.choices):
            target = e.step(c.target)
            lands = target.title if target else c.target
            then = f" It ends: {plain(target.text)}" if target is not None and target.ending else ""
            notes.append(f"{chr(65 + n)} leads to “{lands}”. The module says: {plain(c.feedback)}{then}")
        slides.append(Slide(f"Scenario: {title}: {step.title}", body, notes, role="scenario", lead=PARTNER))
    return slides


def question_slides(e, page: Page) -> list[Slide]:
    prompt = plain(e.prompt)
    options = [o for o in e.options]
    body = [_p(prompt)] + [_li(f"{chr(65 + n)}. {plain(o.text)}") for n, o in enumerate(options)]
    right = ", ".join(f"{chr(65 + n)}. {plain(o.text)}" for n, o in enumerate(options) if o.correct)
    notes = ["Discuss in small groups, then ask each group what they think and why.",
             f"What the module counts as right: {right}."]
    notes += [f"{chr(65 + n)}: {plain(o.feedback)}" for n, o in enumerate(options) if o.feedback]
    if e.explanation:
        notes.append(f"Explanation: {plain(e.explanation, cites=True)}")
    return [Slide(f"Discuss: {page.title}", body, notes, role="question")]


def order_slides(e, page: Page) -> list[Slide]:
    body = [_p(plain(e.prompt))] + [_li(plain(i.text)) for i in e.shown]
    notes = ["Ask the group to agree an order together, then compare it with the module's.",
             "The module's order: " + "; ".join(f"{n}. {plain(i.text)}" for n, i in enumerate(e.items, 1)) + "."]
    notes += [f"{plain(i.text)}: {plain(i.feedback)}" for i in e.items if i.feedback]
    if e.explanation:
        notes.append(f"Explanation: {plain(e.explanation, cites=True)}")
    return [Slide(f"Discuss: {page.title}", body, notes, role="question")]


def reflection_slides(e, page: Page) -> list[Slide]:
    return [Slide("Pair work", [_p(plain(e.prompt)), _p(NO_SHARING)],
                  ["Nobody has to share. Do not ask pairs to report back what they said. "
                   "Ask only whether anyone wants to say something to the whole group."],
                  role="pair")]


def confidence_slides(e, page: Page) -> list[Slide]:
    when = "now, at the end" if e.after else "before we start"
    return [Slide("For you only: how confident do you feel?",
                  [_p(f"Rate yourself {when}, from 1 to {e.scale}. Keep it to yourself.")]
                  + [_li(plain(s.text)) for s in e.statements],
                  ["A private check. Nobody is asked for their ratings."], role="check", core=False)]


def share_slides(e, page: Page) -> list[Slide]:
    """A learning review or joint feedback form: its headings as a template the group can use."""
    fields = [f for f in getattr(e, "fields", ()) if getattr(f, "type", "text") == "text"]
    body = ([_p(plain(e.prompt))] if e.prompt else []) + [_li(f.label) for f in fields]
    return [Slide(getattr(e, "title", page.title), body,
                  ["Show the headings people will use. Nothing that could identify a person, a team or a place."],
                  role="teach", core=False)]


def generic_slides(e, page: Page) -> list[Slide]:
    """A kind the kit has no entry for: its learner texts, as the e-learning shows them."""
    body = [l for text in elements.learner_texts(e) for l in lines(text) if l.style != "img"]
    return _split(page.title, body, lambda t, c: Slide(t, c, [])) if body else []


def record_slides(e, page: Page) -> list[Slide]:
    """The e-learning's "Save your record of learning", as a session has it: people write the
    session into their own record; for the NMC, learning with others like this can count as
    participatory (content brief 7a)."""
    body = [_p("Write this session into your own record of learning: the date, the time it took and what you learned."),
            _p("For NMC revalidation, learning that involves other professionals, like this session, can count as "
               "participatory CPD. The HCPC and the SSSC ask you to keep a record of your learning too."),
            _p("The e-learning module can make the record for you: “Save your record of learning” on its last page.")]
    return [Slide("Record your learning", body,
                  ["Give people a minute to note the date and the session's length. Nobody has to share what they write.",
                   "Use each regulator's own forms and guidance; this slide only says what the content brief says."],
                  role="close")]


SLIDES = {
    "prose": prose_slides,
    "learning_record": record_slides,
    "callout": callout_slides,
    "scenario": scenario_slides,
    "question": question_slides,
    "order": order_slides,
    "reflection": reflection_slides,
    "confidence": confidence_slides,
    "learning_review": share_slides,
    "joint_feedback": share_slides,
}


def page_slides(page: Page) -> tuple[list[Slide], int]:
    """The slides of one page, and how many facilitator notes joined them."""
    found: list[Slide] = []
    used = 0
    pending: list[str] = []      # notes written before the page's first slide
    for e in page.elements:
        if e.kind == FACILITATOR_KIND:
            text = plain(e.markdown, cites=True)
            if text:
                used += 1
                (found[-1].notes if found else pending).append(f"Facilitator's note: {text}")
            continue
        found += SLIDES.get(e.kind, generic_slides)(e, page)
    if pending:
        if found:
            found[0].notes[:0] = pending
        else:
            found.append(Slide(page.title, [], pending))
    return found, used


GROUND_RULES = (
    "Nobody has to share anything personal.",
    "You can step out at any time, and come back when you are ready.",
    "Talk about systems and situations, not named people.",
    "What people say here stays here. The learning can leave.",
    "Use words that put the person first.",
)


def session(module: Module, pack: Pack) -> Session:
    s = Session(module)
    add = s.slides.append
    add(Slide(module.title, [_p(module.summary), _p("A session led together by a staff facilitator and a "
                                                     "co-facilitator with lived experience.")],
              ["Welcome people. Both facilitators introduce themselves. The co-facilitator says only what they choose to about themselves."],
              role="open", lead=BOTH))
    add(Slide("How we work today", [_li(r) for r in GROUND_RULES],
              ["Agree these with the group and ask if anything should be added."], role="open", lead=BOTH))
    if module.content_note:
        add(Slide("Before we start", [_p(plain(module.content_note)), _p("Support lines are on your handout.")],
                  ["Read the content note aloud. Say where the support lines are and that people can step out."],
                  role="open"))
    add(Slide("What this session is for", [_li(plain(o)) for o in module.outcomes],
              ["These are the module's learning outcomes."], role="open"))
    for section in module.sections:
        for page in section.pages:
            found, used = page_slides(page)
            s.facilitator_notes += used
            for slide in found:
                slide.section = section.title
            s.slides += found
    _trim(s)
    add(Slide("Support", [_li(f"{l.name}: {l.contact}. {l.offers}") for l in pack.support_lines],
              ["Close by pointing to support. Check in with anyone who seemed affected. "
               "Facilitators debrief together after the session."], role="close", lead=BOTH))
    add(Slide("Thank you", [_p("What is one thing you will take back to your work?"),
                            _p("Continue with the e-learning module: " + module.title + ".")],
              ["Thank the co-facilitator by name if they agree. Remind people of the handout."],
              role="close", lead=BOTH))
    for n, slide in enumerate(s.slides, 1):
        slide.number = n
    return s


def _trim(s: Session) -> None:
    """The 45-minute cut: the first discussion question of each section and the first pair work
    stay; the others are for the 90-minute session."""
    seen_pair = False
    seen_question: set[str] = set()
    for slide in s.slides:
        if slide.role == "question":
            slide.core = slide.section not in seen_question
            seen_question.add(slide.section)
        elif slide.role == "pair":
            slide.core = not seen_pair
            seen_pair = True
