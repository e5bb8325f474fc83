"""The report's figures: counts of learners per module version, pathway, month, question and
confidence statement, for one period, in one ``Grid`` so that one suppression covers every
table (a figure shown in two tables is hidden in both or neither).

Every table is a partition with its total, so its sums are real lines for ``suppress``:
a learner is counted once per row (the month they first started, the attempt they first
passed on, their first answer to a question, ...).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from coursepack.model import Pack

from . import gradebook
from .decode import ModuleKey
from .exports import Inputs
from .periods import Period
from .suppress import Grid

FINISHED = {"completed", "passed", "failed"}
NO_KEY = ("(an answer this module's questions do not list)",)


@lru_cache(maxsize=4096)
def month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclass
class Progress:
    """One learner in one module version, within the period."""
    start: dt.date
    attempts: int = 0
    finish: dt.date | None = None
    scored: bool = False
    passed_on: int | None = None        # the attempt number that first passed


@dataclass
class Table:
    """A table of the report: row and column labels and a grid key per cell."""
    id: str
    caption: str
    row_head: str
    rows: list[str]
    columns: list[str]
    keys: list[list[object]]                # per row, per column: a Grid key (or a text)
    chart: dict | None = None               # {"column": index of the share shown, "of": total column}


@dataclass
class Section:
    """One part of the report: its plain-language headline, what its measures mean and cannot tell."""
    id: str
    title: str
    headline: str
    means: str
    cannot: str
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    means_of: dict = field(default_factory=dict)


@dataclass
class Figures:
    """The sections of one period, the grid their figures are in, and the names of the figures a
    comparison of periods sets side by side."""
    grid: Grid
    sections: list[Section]
    summary: dict                   # headline measures for the comparison of periods


def share(grid: Grid, part, whole) -> str:
    """'4 in 10' from two shown figures, or '' when either is hidden."""
    a, b = grid.shown(part), grid.shown(whole)
    if a is None or not b:
        return ""
    return f"{round(10 * a / b)} in 10"


def _progress(inputs: Inputs, period: Period) -> dict[int, dict[int, Progress]]:
    """Module version → learner → progress, from the SCORM reports, completion report and grades."""
    out: dict[int, dict[int, Progress]] = defaultdict(dict)
    for m, attempts in inputs.attempts.items():
        key = inputs.keys[m]
        for (learner, number), a in sorted(attempts.items(), key=lambda item: item[0][1]):
            if not period.holds(a.start):
                continue
            p = out[m].setdefault(learner, Progress(a.start))
            p.attempts += 1
            p.start = min(p.start, a.start) if a.start else p.start
            finished = a.status in FINISHED or a.score is not None
            if finished and p.finish is None:
                p.finish = a.last or a.start
            p.scored = p.scored or a.score is not None
            passed = a.status == "passed" or (a.score is not None and key.pass_mark is not None
                                               and a.score >= key.pass_mark)
            if passed and p.passed_on is None:
                p.passed_on = p.attempts
    versions = defaultdict(list)
    for m in out:
        versions[inputs.keys[m].module].append(m)
    for (module, learner), (state, day) in inputs.completions.items():
        for m in versions.get(module, ()):
            p = out[m].get(learner)
            if p is None:
                continue
            if state in ("y", "pass", "fail") and p.finish is None:
                p.finish = day or p.start
            if state == "pass" and p.passed_on is None:
                p.passed_on = p.attempts
    for (module, learner), grade in inputs.grades.items():
        for m in versions.get(module, ()):
            p = out[m].get(learner)
            key = inputs.keys[m]
            if p is not None and key.pass_mark is not None and grade >= key.pass_mark and p.passed_on is None:
                p.passed_on = p.attempts
    return out


def build(inputs: Inputs, pack: Pack, period: Period, k: int) -> Figures:
    grid = Grid(k)
    progress = _progress(inputs, period)
    modules = sorted(progress, key=lambda m: (_order(pack, inputs.keys[m]), inputs.keys[m].version))
    labels = _labels(inputs.keys, modules)
    edx = bool(inputs.openedx)
    sections = [
        _uptake(grid, progress, modules, labels, edx),
        _pathways(grid, pack, inputs, progress),
        _passing(grid, progress, modules, labels, inputs if edx else None),
        _verdicts(grid, inputs, period, modules, labels) if inputs.openedx_version == 1 else
        _questions(grid, inputs, period, modules, labels),
        _confidence(grid, inputs, period, modules, labels),
        _sharing(grid, inputs, period),
    ]
    if inputs.gradebook.files:
        _platform_grades(grid, pack, inputs.gradebook, sections[2])
    versions = defaultdict(list)
    for m in modules:
        versions[inputs.keys[m].title].append(inputs.keys[m].version)
    sections[0].notes += [f"These exports hold versions {' and '.join(v)} of '{title}': each version is reported in "
                          "rows of its own, as its questions and pages may differ." for title, v in versions.items()
                          if len(v) > 1]
    grid.suppress()
    _means(grid, sections[4])
    _headlines(grid, sections, modules)
    summary = {"Module starts": "starts:all", "Modules finished": "finished:all",
               "Passed (any attempt)": "passers:all", "Confidence statements rated before and after (one per learner and statement)": "pairs:all"}
    if edx:
        summary["Learning reviews and joint feedback sent"] = "sent:all"
    return Figures(grid, sections, summary)


def _order(pack: Pack, key: ModuleKey) -> int:
    ids = [m.id for m in pack.modules]
    return ids.index(key.module) if key.module in ids else len(ids)


def _labels(keys: list[ModuleKey], modules: list[int]) -> dict[int, str]:
    """A module's title, with its version when the report holds two versions of it."""
    count = Counter(keys[m].module for m in modules)
    return {m: keys[m].label if count[keys[m].module] > 1 else keys[m].title for m in modules}


def _table_rows(grid: Grid, name: str, modules, labels, columns: list[str], counts, total_key) -> Table:
    """Rows per module version, a column per category, a total column and a totals row; every
    row and column a line."""
    keys = []
    for m in modules:
        row = [grid.add((name, m, c), counts[m].get(c, 0)) for c in columns]
        keys.append(row + [total_key(m)])
        grid.line(total_key(m), row)
    totals = [grid.add((name, "all", c), sum(counts[m].get(c, 0) for m in modules)) for c in columns]
    all_key = total_key("all")
    for c, key in zip(columns, totals):
        grid.line(key, [(name, m, c) for m in modules])
    grid.line(all_key, totals)
    grid.line(all_key, [total_key(m) for m in modules])
    keys.append(totals + [all_key])
    return Table(name, "", "Module", [labels[m] for m in modules] + ["All modules"], columns, keys)


def _uptake(grid: Grid, progress, modules, labels, edx: bool = False) -> Section:
    for m in modules:
        grid.add(("starts", m), len(progress[m]))
        grid.add(("finished", m), sum(p.finish is not None for p in progress[m].values()))
    grid.add(("starts", "all"), sum(len(progress[m]) for m in modules))
    grid.add(("finished", "all"), sum(grid.values[("finished", m)] for m in modules))
    counts = {m: Counter("Finished" if p.finish else "Not finished yet" for p in progress[m].values()) for m in modules}
    status = _table_rows(grid, "status", modules, labels, ["Finished", "Not finished yet"], counts,
                         lambda m: ("starts", m))
    for m in modules + ["all"]:       # the same figure under two names: hidden in both or neither
        grid.line(("finished", m), [("status", m, "Finished")])
    status.columns = status.columns + ["Started"]
    status.caption = "Learners who started each module, and how many have finished it"
    status.chart = {"column": 0, "of": 2, "label": "finished, of those who started"}
    months = sorted({month(p.start) for m in modules for p in progress[m].values()})
    starts = {m: Counter(month(p.start) for p in progress[m].values()) for m in modules}
    by_month = _table_rows(grid, "starts-month", modules, labels, months, starts, lambda m: ("starts", m))
    by_month.columns = months + ["All months"]
    by_month.caption = "Learners who started each module, by the month they first started it"
    finish_months = sorted({month(p.finish) for m in modules for p in progress[m].values() if p.finish})
    finishes = {m: Counter(month(p.finish) for p in progress[m].values() if p.finish) for m in modules}
    done_month = _table_rows(grid, "finish-month", modules, labels, finish_months, finishes,
                             lambda m: ("finished", m))
    done_month.columns = finish_months + ["All months"]
    done_month.caption = "Learners who finished each module, by the month they finished it"
    if edx:
        return Section(
            "uptake", "Uptake and completion", "",
            "A start is a learner who answered a knowledge check or rated a confidence check of the module in "
            "Open edX; the month is that of their earliest answer or rating still kept. Finished means every "
            "knowledge check of the module is answered.",
            "It cannot tell who should have taken a module, nor whether learning changed practice. A learner "
            "who only read the pages (no check answered or rated) is not counted: the platform's own "
            "completion and grade reports hold that. The month is of the latest change to each row, so an "
            "answer changed later moves to a later month.",
            [status, by_month, done_month])
    return Section(
        "uptake", "Uptake and completion", "",
        "A start is a learner opening a module's SCORM activity in the LMS. Finished means the LMS "
        "recorded the module as completed, passed or failed, or gave it a score (every question "
        "answered), or the course completion report marks the activity complete.",
        "It cannot tell who should have taken a module (the LMS reports list the learners enrolled, "
        "not the staff a service expected), nor whether learning changed practice. A learner who "
        "used two LMS accounts counts twice; two learners with the same name count once.",
        [status, by_month, done_month])


def _pathways(grid: Grid, pack: Pack, inputs: Inputs, progress) -> Section:
    finished_by_module: dict[str, dict[int, dt.date]] = defaultdict(dict)    # module → learner → day
    started_by_module: dict[str, set] = defaultdict(set)
    for m, learners in progress.items():
        for learner, p in learners.items():
            started_by_module[inputs.keys[m].module].add(learner)
            if p.finish:
                held = finished_by_module[inputs.keys[m].module]
                held[learner] = min(held.get(learner, p.finish), p.finish)
    rows, keys, notes, when = [], [], [], []
    groups: dict[tuple, list] = {}      # pathways of the same modules are one row: two rows of the
    for pathway in pack.pathways:        # same figures could be suppressed differently
        present = tuple(mid for mid in pathway.modules if mid in started_by_module)
        if present:
            groups.setdefault(present, []).append(pathway)
    for n, (present, pathways) in enumerate(groups.items()):
        role = " and ".join(p.role for p in pathways)
        size = len(pathways[0].modules)
        if len(present) < size:
            notes.append(f"{role}: {size - len(present)} of its {size} modules are not "
                         "in these exports, so 'finished' here means every module that is.")
        anyone = set().union(*(started_by_module[mid] for mid in present))
        done = set.intersection(*(set(finished_by_module[mid]) for mid in present))
        when.append(Counter(month(max(finished_by_module[mid][learner] for mid in present)) for learner in done))
        a = grid.add(("path-done", n), len(done))
        b = grid.add(("path-not", n), len(anyone) - len(done))
        t = grid.add(("path-any", n), len(anyone))
        grid.line(t, [a, b])
        if len(present) == 1:        # one module: the same learners as its rows in the uptake table
            versions = [m for m in progress if inputs.keys[m].module == present[0]]
            for total, name in ((t, "starts"), (a, "finished")):
                parts = [(name, m) for m in versions]
                if sum(grid.values[k] for k in parts) == grid.values[total]:
                    grid.line(total, parts)
        rows.append(role)
        keys.append([a, b, t])
    table = Table("pathways", "Learners who have finished every module of each pathway", "Pathway", rows,
                  ["Finished every module", "Not yet", "Started any of its modules"], keys,
                  {"column": 0, "of": 2, "label": "finished every module, of those who started one"})
    months = sorted({mo for c in when for mo in c})
    by_month = []
    for n, (row, counts) in enumerate(zip(keys, when)):
        cells = [grid.add(("path-month", n, mo), counts[mo]) for mo in months]
        grid.line(row[0], cells)
        by_month.append(cells + [row[0]])
    # No totals row: pathways share modules, so one learner can be in several rows.
    monthly = Table("pathways-month", "Learners who finished every module of each pathway, by the month they "
                    "finished the last one", "Pathway", rows, months + ["All months"], by_month)
    return Section("pathways", "Pathways", "",
                   "A pathway is the set of modules the pack names for a role. A learner has finished it when "
                   "they have finished every one of its modules found in these exports.",
                   "The LMS does not record which pathway a learner follows, so everyone who started any of "
                   "a pathway's modules is counted under it; pathways share modules, so a learner can be in "
                   "several rows.", [table, monthly] if rows else [], notes)


def _pass_table(grid: Grid, modules, labels, cols: list[str], counts, passing: list[str]) -> Table:
    """Learners with a score per module by ``cols``, and ``passers`` (the sum of the ``passing``
    columns, the figure the comparison of periods shows)."""
    for m in modules:
        grid.add(("scored", m), sum(counts[m].values()))
    grid.add(("scored", "all"), sum(sum(counts[m].values()) for m in modules))
    table = _table_rows(grid, "pass", modules, labels, cols, counts, lambda m: ("scored", m))
    for m in modules + ["all"]:
        p = grid.add(("passers", m), sum(grid.values[("pass", m, c)] for c in passing))
        grid.line(p, [("pass", m, c) for c in passing])
    return table


def _passing(grid: Grid, progress, modules, labels, edx: Inputs | None = None) -> Section:
    if edx:
        return _passing_openedx(grid, progress, modules, labels, edx)
    cols = ["Passed on the first attempt", "Passed on a later attempt", "Not passed yet"]
    counts = {}
    for m in modules:
        c = Counter()
        for p in progress[m].values():
            if p.scored or p.passed_on:
                c[cols[0] if p.passed_on == 1 else cols[1] if p.passed_on else cols[2]] += 1
        counts[m] = c
    passed = _pass_table(grid, modules, labels, cols, counts, cols[:2])
    passed.columns = cols + ["Had a score"]
    passed.caption = "Learners with a score in each module, by when they passed"
    passed.chart = {"column": 0, "of": 3, "label": "passed on the first attempt, of those with a score"}
    tries = ["1 attempt", "2 attempts", "3 or more attempts"]
    attempts = {m: Counter(tries[min(p.attempts, 3) - 1] for p in progress[m].values()) for m in modules}
    table = _table_rows(grid, "attempts", modules, labels, tries, attempts, lambda m: ("starts", m))
    table.columns = tries + ["Started"]
    table.caption = "Learners who started each module, by how many attempts they have made"
    return Section(
        "passing", "Pass rate and attempts", "",
        "A learner passes a module when their score reaches the module's pass mark (from the pack), or "
        "the LMS records a pass. An attempt is a new try the LMS counted (Moodle's 'Attempt' column).",
        "A score shows what a learner answered on the day, not what they do at work. Moodle counts a new "
        "attempt only when its settings allow one, so attempts compare across modules only when the "
        "activities are set up alike.", [passed, table])


def _passing_openedx(grid: Grid, progress, modules, labels, inputs: Inputs) -> Section:
    """Open edX keeps one standing per learner and module, and (version 2 of the file) whether
    the learner's first answers alone reach the pass mark: "passed first time"."""
    first = inputs.openedx_version >= 2
    unknown = first and any(inputs.first_time.get((m, who)) is None and p.passed_on
                            for m in modules for who, p in progress[m].items() if p.scored)
    cols = (["Passed first time", "Passed after trying again"] + (["Passed (first answers not kept)"] if unknown else [])
            if first else ["Passed"]) + ["Not passed yet"]

    def column(m, who, p) -> str:
        if not p.passed_on:
            return cols[-1]
        if not first:
            return cols[0]
        at_first = inputs.first_time.get((m, who))
        return cols[0] if at_first else cols[1] if at_first is False else cols[2]

    counts = {m: Counter(column(m, who, p) for who, p in progress[m].items() if p.scored) for m in modules}
    passed = _pass_table(grid, modules, labels, cols, counts, cols[:-1])
    passed.columns = cols + ["Answered every knowledge check"]
    passed.caption = "Learners who answered every knowledge check of each module, by whether they passed"
    passed.chart = ({"column": 0, "of": len(cols), "label": "passed first time, of those who answered every "
                     "knowledge check"} if first else
                    {"column": 0, "of": 2, "label": "passed, of those who answered every knowledge check"})
    tables = [passed]
    if first:
        tries = ["1 try at each check", "2 tries at one check, no more", "3 or more tries at one check"]
        tries += ["Tries not kept"] if any(inputs.most_tries.get((m, who)) is None for m in modules
                                            for who, p in progress[m].items() if p.scored) else []
        most = {m: Counter(tries[-1] if inputs.most_tries.get((m, who)) is None else
                           tries[min(inputs.most_tries[(m, who)], 3) - 1]
                           for who, p in progress[m].items() if p.scored) for m in modules}
        table = _table_rows(grid, "tries", modules, labels, tries, most, lambda m: ("scored", m))
        table.columns = tries + ["Answered every knowledge check"]
        table.caption = "Learners who answered every knowledge check of each module, by the most tries at one check"
        tables.append(table)
    means = ("A learner passes a module when their score reaches the module's pass mark (from the pack). The score "
             "is the one Open edX's grader gives the module's assignment type, worked out from each knowledge "
             "check's latest verdict: the average of the module's graded subsections.")
    if first:
        means += (" Passed first time: the same score worked out from the learner's first answer to each check "
                  "reaches the pass mark, so they passed without trying any check again. A try is one answer "
                  "sent to a knowledge check.")
        cannot = ("The Open edX blocks keep each learner's first and latest answer to each check and how many "
                  "they sent, not the answers in between; a module has no attempts as a SCORM activity has. "
                  + ("Answers from before the blocks kept first answers have none: those learners are counted "
                     "apart. " if unknown else "")
                  + "Tries are counted from the first answer kept: an instructor's 'Delete learner state' starts "
                    "them again. ")
    else:
        cannot = ("This file (version 1) holds each learner's latest verdict, not how many tries it took, so "
                  "attempts and 'passed first time' cannot be shown. ")
    cannot += ("The platform's own gradebook is the official grade: a rescore or an instructor's change there "
               "shows in these figures only once the verdicts change too (give the course's Grade Report with the "
               "data file to see the gradebook beside them). A score shows what a learner answered, not what they "
               "do at work.")
    return Section("passing", "Pass rate and tries" if first else "Pass rate", "", means, cannot, tables)


def _platform_grades(grid: Grid, pack: Pack, book: gradebook.Gradebook, section: Section) -> None:
    """The platform's own gradebook beside the figures from the blocks' rows: every learner the
    Grade Report lists, per module and for the course grade."""
    rows = [m.id for m in pack.modules if m.id in book.counts] + [gradebook.COURSE]
    titles = {m.id: m.title for m in pack.modules} | {gradebook.COURSE: "The whole course (course grade)"}
    keys = []
    for r in rows:
        parts = [grid.add(("gradebook", r, c), book.counts[r].get(c, 0)) for c in gradebook.COLUMNS]
        total = grid.add(("gradebook", r, "all"), sum(book.counts[r].values()))
        grid.line(total, parts)
        keys.append(parts + [total])
    for r in rows[1:]:       # every row counts the same learners: one figure under several names
        grid.line(("gradebook", rows[0], "all"), [("gradebook", r, "all")])
    section.tables.append(Table(
        "gradebook", "Learners in the platform's gradebook (Grade Report), by whether their grade reaches the "
        "pass mark", "Module", [titles[r] for r in rows], gradebook.COLUMNS + ["In the Grade Report"], keys,
        {"column": 0, "of": 3, "label": "passed, of the learners in the Grade Report"}))
    section.means += (f" The last table is the platform's own gradebook, from the Grade Report ({', '.join(book.files)}):"
                      " a learner passes a module when its assignment type's grade reaches the module's pass mark,"
                      " and the course when the course grade reaches the pack's; 'Not attempted': no graded"
                      " subsection of it scored. It holds every rescore and instructor override.")
    section.cannot += (" The Grade Report has no dates: its table is the gradebook on the day it was generated, for"
                       " every period; it counts every learner enrolled (not those who left the course), including those who"
                       " never opened a module.")


def _verdicts(grid: Grid, inputs: Inputs, period: Period, modules, labels) -> Section:
    """Open edX, version 1 of the file: each knowledge check by how many learners' latest answer is wrong."""
    rows, keys = [], []
    p = inputs.periods.index(period)
    for m in modules:
        key, tally = inputs.keys[m], inputs.verdicts.get((p, m), {})
        for ident in [i for i in key.questions if i in tally]:      # in the module's order
            right = grid.add(("right", m, ident), tally[ident][True])
            wrong = grid.add(("wrong", m, ident), tally[ident][False])
            answered = grid.add(("answered", m, ident), grid.values[right] + grid.values[wrong])
            grid.line(answered, [right, wrong])
            rows.append(f"{labels[m]}: {key.questions[ident].text}")
            keys.append([answered, wrong])
    table = Table("questions", "Knowledge checks by how often the latest answer is wrong", "Question", rows,
                  ["Learners who answered", "Latest answer wrong"], keys,
                  {"column": 1, "of": 0, "limit": 10,
                   "label": "latest answer wrong, of those who answered (the 10 most often wrong)"})
    return Section(
        "questions", "Questions most often answered wrongly", "",
        "For each knowledge check, each learner's latest answer: right or wrong. A learner who is still wrong "
        "has run out of tries or has not tried again yet.",
        "This file (version 1 of the Open edX data file) holds whether the latest answer was right, not which "
        "option was chosen nor the first answer, so the wrong answer most chosen (a common misunderstanding) "
        "cannot be shown from this file: a file downloaded from the course now holds them for answers given "
        "since the blocks kept them. A wrong answer can mean an unclear question as much as a gap in knowledge.",
        [table] if rows else [])


def _questions(grid: Grid, inputs: Inputs, period: Period, modules, labels) -> Section:
    rows, keys, notes = [], [], []
    candidates = []
    for m in modules:
        key = inputs.keys[m]
        if m in inputs.no_answers:
            notes.append(f"{labels[m]}: the Interactions export holds no answers. Moodle's Interactions "
                         "report shows answers only for SCORM 1.2 packages of one module each, so for a SCORM "
                         "2004 or whole-pack activity this does not mean nobody answered.")
            continue
        tally: dict[str, Counter] = defaultdict(Counter)
        for (ident, response), count in inputs.answered(period, m).items():
            q = key.questions.get(ident)
            if q is not None:
                tally[ident][q.decode(response) or NO_KEY] += count
        for (ident, options), count in inputs.chosen.get((inputs.periods.index(period), m), {}).items():
            tally[ident][options] += count          # Open edX: the option ids themselves
        for ident in [i for i in key.questions if i in tally]:     # in the module's order
            q, counts = key.questions[ident], tally[ident]
            right_keys, wrong_keys = [], []
            for n, (options, count) in enumerate(sorted(counts.items(), key=lambda i: (-i[1], i[0]))):
                cell = grid.add(("answer", m, ident, n), count)
                (right_keys if options != NO_KEY and q.right(options) else wrong_keys).append((cell, options))
            right = grid.add(("right", m, ident), sum(grid.values[c] for c, _ in right_keys))
            wrong = grid.add(("wrong", m, ident), sum(grid.values[c] for c, _ in wrong_keys))
            answered = grid.add(("answered", m, ident), grid.values[right] + grid.values[wrong])
            grid.line(right, [c for c, _ in right_keys])
            if wrong_keys and right_keys:
                grid.line(wrong, [c for c, _ in wrong_keys])
                grid.line(answered, [right, wrong])
            grid.line(answered, [c for c, _ in right_keys + wrong_keys])
            top = wrong_keys[0] if wrong_keys else None
            candidates.append((m, q, answered, wrong, top))
    for m, q, answered, wrong, top in candidates:
        rows.append(f"{labels[m]}: {q.text}")
        keys.append([answered, wrong, ("text", q.label(top[1]) if top and top[1] != NO_KEY else
                                        "(none)" if not top else NO_KEY[0]), top[0] if top else ("text", "")])
    table = Table("questions", "Knowledge checks by how often the first answer was wrong", "Question", rows,
                  ["Learners who answered", "First answer wrong", "Wrong answer most chosen", "Learners who chose it"],
                  keys, {"column": 1, "of": 0, "limit": 10,
                         "label": "first answer wrong, of those who answered (the 10 most often wrong)"})
    if inputs.openedx:
        cannot = ("A wrong first answer can mean an unclear question as much as a gap in knowledge: read the "
                  "question before acting on it. The Open edX blocks keep each learner's first and latest answer, "
                  "not the ones between." + (" Answers from before the blocks kept first answers are not counted "
                                             "here." if inputs.first_unknown else ""))
    else:
        cannot = ("A wrong first answer can mean an unclear question as much as a gap in knowledge: read the "
                  "question before acting on it. Only activities whose export holds answers are counted.")
    return Section(
        "questions", "Questions most often answered wrongly", "",
        "For each knowledge check, each learner's first answer (a learner can try again and see feedback). "
        "The wrong answer most chosen shows a common misunderstanding worth covering in training.",
        cannot, [table] if rows else [], notes)


def _confidence(grid: Grid, inputs: Inputs, period: Period, modules, labels) -> Section:
    rows, keys, dist_rows, dist_keys, means = [], [], [], [], {}
    changes = ["Lower after", "Same", "Higher after"]
    for m in modules:
        key = inputs.keys[m]
        pairs = inputs.rated(period, m)
        texts = {s.id: s.text for s in key.statements.values()}
        for sid in [sid for sid in texts if sid in pairs]:             # in the check's order
            found, text = pairs[sid], texts[sid]
            c = Counter(changes[(a > b) - (a < b) + 1] for b, a in found)
            cells = [grid.add(("conf", m, sid, ch), c[ch]) for ch in changes]
            total = grid.add(("pairs", m, sid), len(found))
            grid.line(total, cells)
            rows.append(f"{labels[m]}: {text}")
            keys.append(cells + [total] + [("mean", m, sid, which) for which in range(3)])
            for when, pos in (("Before", 0), ("After", 1)):
                ratings = Counter(pair[pos] for pair in found)
                scale = range(1, max(5, max(ratings)) + 1)
                cells = [grid.add(("rating", m, sid, when, r), ratings[r]) for r in scale]
                grid.line(total, cells)
                dist_rows.append(f"{labels[m]}: {text} ({when.lower()})")
                dist_keys.append(cells + [total])
                means.setdefault((m, sid), []).extend(cells)
            b, a = sum(b for b, _ in found) / len(found), sum(a for _, a in found) / len(found)
            means[(m, sid)] = (means[(m, sid)], (b, a, a - b))
    all_pairs = grid.add(("pairs", "all"), sum(grid.values[k[3]] for k in keys))
    grid.line(all_pairs, [k[3] for k in keys])
    table = Table("confidence", "Change in confidence, per statement, for learners who rated it before and after",
                  "Statement", rows, changes + ["Rated before and after", "Mean before", "Mean after", "Mean change"],
                  keys, {"column": 2, "of": 3, "label": "more confident after, of those who rated both"})
    width = max((len(k) - 1 for k in dist_keys), default=5)
    dist = Table("confidence-ratings", "Ratings before and after (1 = not at all confident, 5 = very confident)",
                 "Statement", dist_rows, [str(r) for r in range(1, width + 1)] + ["Learners"],
                 [k[:-1] + [("text", "")] * (width - len(k) + 1) + [k[-1]] for k in dist_keys])
    section = Section(
        "confidence", "Confidence before and after", "",
        "Each module asks learners to rate statements such as 'I can ...' at the start and again at the end. "
        "Only learners who rated a statement both times count; the change is their 'after' rating minus their "
        "'before' rating, averaged over them.",
        "Confidence is how able learners feel, not how able they are; some rate themselves lower after "
        "learning how much there is to know. Learners could keep their ratings on their device: those are "
        "not in the LMS and not counted here.", [table, dist] if rows else [])
    section.means_of = means        # filled in once suppression is done (``_means``)
    return section


MEAN_FROM = 100       # learners: from here a mean to one decimal is shown beside hidden rating counts


def _means(grid: Grid, section: Section) -> None:
    """A statement's mean ratings, to one decimal. With the rating counts a mean is one more sum
    (ratings times counts), which could give a hidden count away: so it is shown when none of
    the counts is hidden, or when at least ``MEAN_FROM`` learners rated both times (then moving
    one learner between two hidden ratings shifts the sum by at most 4, inside the 0.1 x n the
    rounding leaves open, so the hidden counts stay unknown)."""
    for table in section.tables[:1]:
        for row in table.keys:
            for n, cell in enumerate(row):
                if isinstance(cell, tuple) and cell[0] == "mean":
                    cells, values = section.means_of[(cell[1], cell[2])]
                    pairs = grid.shown(("pairs", cell[1], cell[2]))
                    safe = pairs is not None and (pairs >= MEAN_FROM or not any(grid.hidden(c) for c in cells))
                    row[n] = ("text", f"{values[cell[3]]:+.1f}" if safe and cell[3] == 2 else
                              f"{values[cell[3]]:.1f}" if safe else "not shown")


SHARED_KINDS = {"learning_review": "Learning reviews", "joint_feedback": "Joint feedback"}
SHARED_STATUSES = {"pending": "Waiting for moderation", "published": "Approved", "returned": "Returned to the author",
                   "withdrawn": "Withdrawn after approval"}


def _sharing(grid: Grid, inputs: Inputs, period: Period) -> Section:
    means = ("How many learning reviews and joint feedback items learners sent, by kind, by the service they "
             "are about and by the month sent, and where each is in moderation now: waiting, approved "
             "(published without the author's name), returned to the author, or withdrawn.")
    if not inputs.openedx:
        return Section(
            "sharing", "Learning reviews and joint feedback", "Not in this report: Moodle does not hold them.",
            means,
            "These are kept by the Open edX blocks, not by a SCORM activity, so Moodle's exports do not hold them. "
            "A report from an Open edX course's data file has them.", [])
    items = [(k, s, st, mo) for k, s, st, mo in inputs.shared if period.holds(mo)]
    kinds = [k for k in SHARED_KINDS if any(i[0] == k for i in items)]
    labels = {k: SHARED_KINDS[k] for k in kinds}
    for k in kinds:
        grid.add(("sent", k), sum(1 for i in items if i[0] == k))
    grid.add(("sent", "all"), len(items))
    by_status = _table_rows(grid, "shared-status", kinds, labels, list(SHARED_STATUSES),
                            {k: Counter(i[2] for i in items if i[0] == k) for k in kinds}, lambda k: ("sent", k))
    by_status.columns = list(SHARED_STATUSES.values()) + ["Sent"]
    by_status.row_head, by_status.rows[-1] = "Kind", "Both kinds"
    by_status.caption = "Items sent, by kind and where they are in moderation now"
    by_status.chart = {"column": 1, "of": 4, "label": "approved, of those sent"}
    tables = [by_status]
    for name, pick, caption, head in (("shared-service", 1, "Items sent, by the service they are about", "Service"),
                                      ("shared-month", 3, "Items sent, by the month sent", "Month")):
        values = sorted({i[pick] for i in items})
        shown = {v: month(v) if pick == 3 else v for v in values}
        counts = {k: Counter(shown[i[pick]] for i in items if i[0] == k) for k in kinds}
        table = _table_rows(grid, name, kinds, labels, [shown[v] for v in values], counts, lambda k: ("sent", k))
        table.columns = [shown[v] for v in values] + ["Sent"]
        table.row_head, table.rows[-1], table.caption = "Kind", "Both kinds", caption
        tables.append(table)
    return Section(
        "sharing", "Learning reviews and joint feedback", "", means,
        "Counts of items, not of people: one learner can send several. What the items say is never in this "
        "report (approved ones are read in the course, without names). An item returned and sent again "
        "counts once, where it is now.", tables if items else [])


def _headlines(grid: Grid, sections: list[Section], modules) -> None:
    by_id = {s.id: s for s in sections}
    s = share(grid, ("finished", "all"), ("starts", "all"))
    starts = grid.text(("starts", "all"))
    by_id["uptake"].headline = (f"{s.capitalize()} module starts have been finished ({grid.text(('finished', 'all'))} "
                                f"of {starts})." if s else f"{starts[0].upper()}{starts[1:]} module starts: too few "
                                "to say how many finished.")
    path = by_id["pathways"]
    if path.tables and path.tables[0].rows:
        best = max(range(len(path.tables[0].rows)), key=lambda i: grid.shown(path.tables[0].keys[i][2]) or -1)
        row = path.tables[0].keys[best]
        s = share(grid, row[0], row[2])
        path.headline = (f"{s.capitalize()} learners who started the {path.tables[0].rows[best]} pathway have "
                         "finished every module of it." if s else
                         f"Too few learners have finished a whole pathway to show ({grid.text(row[0])}).")
    else:
        path.headline = "No pathway's modules are in these exports."
    s = share(grid, ("passers", "all"), ("scored", "all"))
    by_id["passing"].headline = (f"{s.capitalize()} learners with a score have passed "
                                 f"({grid.text(('passers', 'all'))} of {grid.text(('scored', 'all'))})."
                                 if s else "Too few learners have a score to show a pass rate.")
    q = by_id["questions"]
    worst = None
    if q.tables:
        t = q.tables[0]
        ranked = sorted(((grid.shown(k[1]) / grid.shown(k[0]), i) for i, k in enumerate(t.keys)
                         if grid.shown(k[0]) and grid.shown(k[1]) is not None), reverse=True)
        order = [i for _, i in ranked] + [i for i in range(len(t.rows)) if i not in {j for _, j in ranked}]
        t.rows, t.keys = [t.rows[i] for i in order], [t.keys[i] for i in order]
        worst = ranked[0][1] if ranked else None
        if worst is not None:
            worst = order.index(worst)
    when = "(latest answer)" if q.tables and q.tables[0].columns[1].startswith("Latest") else "first time"
    q.headline = (f"The question most often answered wrongly {when}: {share(grid, q.tables[0].keys[worst][1], q.tables[0].keys[worst][0])} "
                  f"learners got \u201c{q.tables[0].rows[worst]}\u201d wrong." if worst is not None
                  else "Too few learners answered any one question to show which are answered wrongly.")
    c = by_id["confidence"]
    higher = sum(grid.values[k[2]] for k in c.tables[0].keys) if c.tables else 0     # shown cells only (below)
    total = grid.shown(("pairs", "all"))
    if c.tables and total and higher >= grid.k and all(not grid.hidden(k[2]) for k in c.tables[0].keys):
        c.headline = f"{round(10 * higher / total)} in 10 ratings were higher after the module than before."
    elif c.tables:
        c.headline = f"{grid.text(('pairs', 'all'))} statement ratings were given both before and after."
    else:
        c.headline = "No learner's confidence ratings, before and after, are in these exports."
    s = by_id["sharing"]
    if s.tables:
        sent, approved = ("sent", "all"), ("shared-status", "all", "published")
        part = share(grid, approved, sent)
        s.headline = (f"{grid.text(sent).capitalize()} learning reviews and joint feedback items were sent; "
                      f"{part} of them are approved." if part else
                      f"{grid.text(sent).capitalize()} learning reviews and joint feedback items were sent.")
    elif not s.headline:
        s.headline = "No learning review or joint feedback was sent in this period."
