"""What each Moodle 5.0 download holds, found by its header row (in any column order), and its
rows turned into attempts, answers and completions of pack modules.

The headers are Moodle's own English strings (Moodle 5.0.6, read from its code):
- SCORM Basic report (mod/scorm/report/basic): Name, [identity fields such as Email address],
  Attempt, Started on, Last accessed on, Score, then one column per SCO titled with the SCO's
  title when "detailed report" is on ("80/100", or a status such as Completed or Not attempted).
- SCORM Interactions report (mod/scorm/report/interactions): the same, then for each
  interaction n from 0: "Question n" (the interaction id), "Response n", "Right answer n" and
  "Result n", as the teacher ticks them on the report's settings.
- Course completion report (report/completion, CSV): ID, Name, [identity fields], for each
  activity criterion "<activity>" and "<activity> - Completion date", ..., Course complete.
- Grader export (grade/export/txt, ods, xls): [First name, Last name, ...], [Suspended],
  "SCORM package: <activity> (Real)" and the like, ..., Last downloaded from this course.

Learners are told apart by the name Moodle prints (``Learners``): it stays in this process as a
number and is never written anywhere.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from functools import lru_cache
from dataclasses import dataclass, field

from .decode import ModuleKey, match_score, rating
from .formats import Sheet, rows_checked
from .periods import Period
from .gradebook import Gradebook
from .problems import InputProblem

# Moodle's English strings (lang/en of mod_scorm, scormreport_interactions, report_completion,
# completion, grades and gradeexport_txt).
NAME, ATTEMPT, STARTED, LAST, SCORE = "Name", "Attempt", "Started on", "Last accessed on", "Score"
SCORM_MAIN = (NAME, ATTEMPT, STARTED, LAST, SCORE)
PER_INTERACTION = re.compile(r"^(Question|Response|Right answer|Result) (\d+)$")
COMPLETION_ID, COURSE_COMPLETE, COMPLETION_DATE = "ID", "Course complete", " - Completion date"
GRADE_COLUMN = re.compile(r"^SCORM package: (.+) \((Real|Percentage|Letter)\)$")
GRADE_END, FIRST, LAST_NAME = "Last downloaded from this course", "First name", "Last name"
STATUSES = {"not attempted": "", "incomplete": "incomplete", "browsed": "incomplete",
            "completed": "completed", "passed": "passed", "failed": "failed"}
COMPLETION_STATES = {"not completed": "n", "completed": "y", "completed (achieved pass grade)": "pass",
                     "completed (did not achieve pass grade)": "fail"}
MONTHS = {m: n for n, m in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"), 1)}
WORD_DATE = re.compile(r"(\d{1,2}) ([A-Za-z]+) (\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
SETTINGS_HINT = ("on the Interactions report's settings tick 'Question', 'Response' and 'Result', "
                 "then download it again")


def parse_date(text: str) -> dt.date | None:
    """A date as Moodle prints it in English ("Monday, 7 December 2026, 7:03 AM", "7 December
    2026, 7:03 AM", "2026-12-07 07:03:00"); None for "-" or an empty cell. Read once per day
    written (the time of day is cut off first: a large export repeats its days many times)."""
    cut = text.rfind(",")
    return _day(text[:cut] if cut > 0 else text[:10])


@lru_cache(maxsize=4096)
def _day(text: str) -> dt.date | None:
    m = ISO_DATE.search(text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = WORD_DATE.search(text)
    if m and m[2].lower() in MONTHS:
        return dt.date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    return None


class Learners:
    """Names → numbers, in memory only: what lets the same person's rows in two files meet."""

    def __init__(self):
        self._ids: dict[str, int] = {}
        self._seen: dict[str, int] = {}         # the name as written → its number

    def id(self, name: str) -> int:
        found = self._seen.get(name)
        if found is None:
            found = self._seen[name] = self._ids.setdefault(" ".join(name.split()).casefold(), len(self._ids))
        return found


@dataclass
class Attempt:
    start: dt.date | None
    last: dt.date | None
    score: float | None
    status: str                 # "", "incomplete", "completed", "passed", "failed"


@dataclass
class Inputs:
    """Everything read from the exports, keyed by module version (an index into ``keys``)."""
    keys: list[ModuleKey]
    attempts: dict[int, dict[tuple[int, int], Attempt]] = field(default_factory=lambda: defaultdict(dict))
    # (module version, learner) → the "Completion" state and date from a completion report
    completions: dict[tuple[str, int], tuple[str, dt.date | None]] = field(default_factory=dict)
    grades: dict[tuple[str, int], float] = field(default_factory=dict)
    periods: list[Period] = field(default_factory=lambda: [Period()])
    # (period, module version) → (interaction id, response) → learners whose first answer it was
    first_answers: dict[tuple[int, int], Counter] = field(default_factory=lambda: defaultdict(Counter))
    # (period, module version) → statement id → (first "before" rating, last "after" rating) → learners
    ratings: dict[tuple[int, int], dict[str, Counter]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    answered_by: dict[int, set] = field(default_factory=lambda: defaultdict(set))   # learners read, per version
    notes: list[str] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    learners: Learners = field(default_factory=Learners)
    no_answers: set[int] = field(default_factory=set)      # module versions whose export held none
    # The Open edX data file (``openedx``): the course read, each knowledge check's latest verdicts
    # per (period, module version) → interaction id → {True: learners right, False: wrong}, and
    # the shared items as (kind, service, status, month sent).
    openedx: list[str] = field(default_factory=list)
    verdicts: dict[tuple[int, int], dict[str, Counter]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    shared: list[tuple[str, str, str, dt.date]] = field(default_factory=list)
    # From version 2 of the file: per (period, module version) → (interaction id, option ids) →
    # learners whose first answer it was (already decoded: the blocks keep option ids); per
    # (module version, learner) who answered every check, whether their first answers alone
    # reach the pass mark and the most tries at one check (None: some first answer not kept);
    # whether any verdict lacked one.
    openedx_version: int = 0
    chosen: dict[tuple[int, int], Counter] = field(default_factory=lambda: defaultdict(Counter))
    first_time: dict[tuple[int, int], bool | None] = field(default_factory=dict)
    most_tries: dict[tuple[int, int], int | None] = field(default_factory=dict)
    first_unknown: bool = False
    gradebook: Gradebook = field(default_factory=Gradebook)      # Open edX's Grade Report

    def answered(self, period: Period, m: int) -> Counter:
        return self.first_answers.get((self.periods.index(period), m), Counter())

    def rated(self, period: Period, m: int) -> dict[str, list[tuple[int, int]]]:
        found = self.ratings.get((self.periods.index(period), m), {})
        return {sid: [pair for pair, n in pairs.items() for _ in range(n)] for sid, pairs in found.items()}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def find_module(name: str, keys: list[ModuleKey]) -> list[int]:
    """The module versions an activity or SCO is named for: its title, or its module id, within
    the name (a teacher may call the activity "01 Understanding stigma")."""
    text = _norm(name)
    found = [i for i, k in enumerate(keys) if _norm(k.title) and _norm(k.title) in text]
    if not found:
        found = [i for i, k in enumerate(keys) if re.search(rf"\b{re.escape(_norm(k.module))}\b", text)]
    if len({keys[i].module for i in found}) > 1:      # "Leading change" within a longer title: the longest wins
        best = max((keys[i] for i in found), key=lambda k: len(k.title)).module
        found = [i for i in found if keys[i].module == best]
    return found


def kind_of(sheet: Sheet) -> str:
    headers = set(sheet.headers)
    if {NAME, ATTEMPT, STARTED, LAST, SCORE} <= headers:
        return "interactions" if any(PER_INTERACTION.match(h) for h in headers) else "basic"
    if {COMPLETION_ID, NAME, COURSE_COMPLETE} <= headers:
        return "completion"
    if GRADE_END in headers and any(GRADE_COLUMN.match(h) for h in headers):
        return "grades"
    raise InputProblem(sheet.path, "is not a Moodle report this command reads (its first row has "
                       f"{', '.join(repr(h) for h in sheet.headers[:6])}{' ...' if len(sheet.headers) > 6 else ''})",
                       "give a SCORM activity's Basic or Interactions report, the course completion "
                       "report or the grader report's export, downloaded in English")


def read_sheet(sheet: Sheet, inputs: Inputs) -> None:
    kind = kind_of(sheet)
    {"basic": _scorm, "interactions": _scorm, "completion": _completion, "grades": _grades}[kind](sheet, inputs)
    inputs.read.append(kind)


# -- SCORM reports ----------------------------------------------------------------------------

def _score(text: str) -> tuple[float | None, str]:
    """A SCO cell: "80/100" or "80" → (80, ""), a status word → (None, status)."""
    text = text.strip()
    m = re.match(r"^(-?\d+(?:\.\d+)?)(?:/(\d+(?:\.\d+)?))?$", text)
    if m:
        raw, top = float(m[1]), float(m[2]) if m[2] else 100.0
        return (100 * raw / top if top else raw), ""
    return None, STATUSES.get(text.casefold(), "")


def _sco_columns(sheet: Sheet, keys: list[ModuleKey]) -> dict[int, list[int]]:
    """Columns that are SCO titles: column → the module versions that title names."""
    known = set(SCORM_MAIN)
    out = {}
    for col, header in enumerate(sheet.headers):
        if header in known or PER_INTERACTION.match(header):
            continue
        found = find_module(header, keys)
        if found:
            out[col] = found
    return out


def _segments(sheet: Sheet, sco_cols: dict[int, list[int]]) -> list[tuple[int | None, dict]]:
    """Per SCO: its title column and its interaction columns ("Response" → {n: column}).
    One SCO: the columns by name, wherever they are. Several (a whole-pack activity, whose
    report repeats "Question 0" for each SCO): the columns after each title, in order."""
    def named(cols):
        found: dict[str, dict[int, int]] = defaultdict(dict)
        for col in cols:
            m = PER_INTERACTION.match(sheet.headers[col])
            if m:
                found[m[1]][int(m[2])] = col
        return found
    if len(sco_cols) <= 1:
        return [(next(iter(sco_cols), None), named(range(len(sheet.headers))))]
    starts = sorted(sco_cols)
    ends = starts[1:] + [len(sheet.headers)]
    return [(s, named(range(s + 1, e))) for s, e in zip(starts, ends)]


def _choose_version(sheet: Sheet, candidates: list[int], inputs: Inputs, pairs: list[tuple[str, str]]) -> int:
    """Of the versions of one module, the one whose keys read this export's answers."""
    if len(candidates) == 1:
        return candidates[0]
    scores = {i: match_score(inputs.keys[i], pairs) for i in candidates}
    best = max(scores.values())
    chosen = [i for i in candidates if scores[i] == best]
    if len(chosen) > 1:
        labels = " and ".join(inputs.keys[i].version for i in chosen)
        inputs.notes.append(f"{sheet.name}: the answers read the same in versions {labels} of "
                            f"'{inputs.keys[chosen[0]].title}'; reported as version {inputs.keys[chosen[0]].version}.")
    return chosen[0]


def _scorm(sheet: Sheet, inputs: Inputs) -> None:
    keys, col = inputs.keys, {h: i for i, h in enumerate(sheet.headers)}
    sco_cols = _sco_columns(sheet, keys)
    segments = _segments(sheet, sco_cols)
    interactions = any(seg for _, seg in segments)
    if interactions and any("Response" in seg and "Question" not in seg for _, seg in segments):
        raise InputProblem(sheet.path, "has Response columns but no Question columns, so its answers "
                           "cannot be told apart", SETTINGS_HINT)
    if interactions and any("Question" in seg and "Response" not in seg for _, seg in segments):
        raise InputProblem(sheet.path, "has Question columns but no Response columns, so it holds no answers",
                           SETTINGS_HINT)
    rows = list(rows_checked(sheet))
    modules: list[int] = []
    for title_col, seg in segments:
        found = sco_cols.get(title_col, []) if title_col is not None else []
        if not found:
            found = find_module(sheet.name, keys)
        if not found and "Question" in seg:
            ids = {r[c] for r in rows for c in seg["Question"].values() if r[c]}
            found = [i for i, k in enumerate(keys) if ids and ids <= set(k.questions) | set(k.statements)]
        if not found:
            raise InputProblem(sheet.path, "names no module of this pack (no column or file name is a "
                               "module's title, and its answers are not a module's questions)",
                               "is it from another course? Give the exports of this pack's SCORM activities, "
                               "or the pack (--pack) or questions.csv (--questions) the course was built from")
        pairs = [(r[seg["Question"][n]], r[seg["Response"][n]]) for r in rows[:2000]
                 for n in seg.get("Question", {}) if n in seg.get("Response", {}) and r[seg["Question"][n]]]
        modules.append(_choose_version(sheet, found, inputs, pairs))
    dated, found_answers = 0, 0
    held: list[dict[int, dict[str, tuple]]] = [defaultdict(dict) for _ in segments]   # per SCO: learner → id → answer
    later = [{i for i, st in keys[m].statements.items() if st.when == "after"} for m in modules]
    columns = [[(n, q, seg.get("Response", {}).get(n), seg.get("Result", {}).get(n))
                for n, q in seg.get("Question", {}).items()] for _, seg in segments]
    rated = [set(keys[m].statements) for m in modules]
    for row in rows:
        learner = inputs.learners.id(row[col[NAME]])
        if row[col[ATTEMPT]].strip() in ("", "-"):
            continue                                   # enrolled, never started
        try:
            attempt = int(float(row[col[ATTEMPT]]))
        except ValueError:
            raise InputProblem(sheet.path, f"has '{row[col[ATTEMPT]]}' in the Attempt column where Moodle "
                               "writes a number", "download the report again from Moodle") from None
        start, last = parse_date(row[col[STARTED]]), parse_date(row[col[LAST]])
        dated += start is not None
        for s_index, ((title_col, seg), module) in enumerate(zip(segments, modules)):
            cell = row[title_col] if title_col is not None else row[col[SCORE]]
            score, status = _score(cell)
            if title_col is None and score == 0:
                score = None           # the overall Score is 0 when the SCO has no score yet
            before = inputs.attempts[module].get((learner, attempt))
            if before is None or (score is not None and (before.score is None or score > before.score)) \
                    or (status and not before.status):
                inputs.attempts[module][(learner, attempt)] = Attempt(
                    start, last, score, status or (before.status if before else ""))
            answers, keep_last = held[s_index][learner], later[s_index]
            for n, qcol, rcol, result_col in columns[s_index]:
                ident = row[qcol]
                if not ident:
                    continue
                response = row[rcol] if rcol is not None else ""
                if ident in rated[s_index] and rating(response) is None and result_col is not None:
                    response = row[result_col]      # a rating sent as the interaction's result
                if not response:
                    continue        # SCORM 2004: Moodle shows the id but not the learner's response
                found_answers += 1
                kept = answers.get(ident)
                # a question's first answer; a rating's first "before" and last "after"
                if kept is None or ((attempt, n) > kept[:2]) == (ident in keep_last):
                    answers[ident] = (attempt, n, response)
    if rows and not dated and any(row[col[STARTED]].strip() not in ("", "-") for row in rows):
        raise InputProblem(sheet.path, "has dates this command cannot read (not in English?)",
                           "switch your Moodle language to English (en) and download the report again")
    if interactions:
        for answers, module in zip(held, modules):
            _fold(sheet, inputs, module, {learner: a for learner, a in answers.items() if a})
    if interactions and not found_answers:
        inputs.no_answers.update(modules)


def _fold(sheet: Sheet, inputs: Inputs, m: int, answers: dict[int, dict[str, tuple]]) -> None:
    """One export's answers of one module version into the counts per period: each learner's
    first answer to each question, and their first "before" and last "after" confidence
    ratings. A learner already counted from another export of the same version is refused."""
    again = inputs.answered_by[m] & answers.keys()
    if again:
        raise InputProblem(sheet.path, f"repeats learners of another export of '{inputs.keys[m].label}'",
                           "give each activity's report once")
    inputs.answered_by[m].update(answers)
    statements, attempts = inputs.keys[m].statements, inputs.attempts[m]
    for p, period in enumerate(inputs.periods):
        counts, ratings = inputs.first_answers[(p, m)], inputs.ratings[(p, m)]
        inside: dict[tuple[int, int], bool] = {}
        for learner, learner_answers in answers.items():
            before, after = {}, {}
            for ident, (attempt, _, response) in learner_answers.items():
                ok = inside.get((learner, attempt))
                if ok is None:
                    ok = inside[(learner, attempt)] = period.holds(attempts[(learner, attempt)].start)
                if not ok:
                    continue
                st = statements.get(ident)
                if st is None:
                    counts[(ident, response)] += 1
                elif rating(response) is not None:
                    (after if st.when == "after" else before)[st.id] = rating(response)
            for sid in before.keys() & after.keys():
                ratings[sid][(before[sid], after[sid])] += 1


# -- completion and grades --------------------------------------------------------------------

def _activity_columns(sheet: Sheet, inputs: Inputs, names: dict[int, str]) -> dict[int, str]:
    """Activity columns → module id; an export naming no module of the pack is refused."""
    found = {}
    for col, name in names.items():
        versions = find_module(name, inputs.keys)
        if versions:
            found[col] = inputs.keys[versions[0]].module
    if not found:
        raise InputProblem(sheet.path, "names no module of this pack among its activities "
                           f"({', '.join(sorted(set(names.values()))[:5]) or 'none'})",
                           "is it from another course? Name each SCORM activity after its module, "
                           "or give this course's export")
    return found


def _completion(sheet: Sheet, inputs: Inputs) -> None:
    headers = sheet.headers
    dates = {h[: -len(COMPLETION_DATE)]: i for i, h in enumerate(headers) if h.endswith(COMPLETION_DATE)}
    names = {i: h for i, h in enumerate(headers) if h in dates}
    if not names:
        raise InputProblem(sheet.path, "has no activity columns: the course's completion criteria "
                           "include no activity", "in Course completion settings, tick the SCORM "
                           "activities under 'Activity completion', then download the report again")
    modules = _activity_columns(sheet, inputs, names)
    name_col = headers.index(NAME)
    for row in rows_checked(sheet):
        learner = inputs.learners.id(row[name_col])
        for col, module in modules.items():
            state = COMPLETION_STATES.get(row[col].strip().casefold())
            if state is None:
                raise InputProblem(sheet.path, f"has '{row[col]}' under '{headers[col]}', which is not "
                                   "a completion state Moodle writes in English",
                                   "switch your Moodle language to English (en) and download it again")
            inputs.completions[(module, learner)] = (state, parse_date(row[dates[headers[col]]]))


def _grades(sheet: Sheet, inputs: Inputs) -> None:
    headers = sheet.headers
    if FIRST not in headers or LAST_NAME not in headers:
        raise InputProblem(sheet.path, "has no 'First name' and 'Last name' columns, which tell learners apart",
                           "in the export's settings keep the user fields First name and Last name")
    real = {i: GRADE_COLUMN.match(h)[1] for i, h in enumerate(headers)
            if GRADE_COLUMN.match(h) and h.endswith("(Real)")}
    if not real:
        raise InputProblem(sheet.path, "has no 'Real' grade column for a SCORM activity",
                           "choose 'Real' under 'Grade export display types' and export again")
    modules = _activity_columns(sheet, inputs, real)
    first, last = headers.index(FIRST), headers.index(LAST_NAME)
    for row in rows_checked(sheet):
        learner = inputs.learners.id(f"{row[first]} {row[last]}")
        for col, module in modules.items():
            try:
                inputs.grades[(module, learner)] = float(row[col])
            except ValueError:
                continue        # "-": no grade yet

