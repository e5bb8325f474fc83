"""Reading the Open edX data file: one course's pseudonymised rows, as the Common Ground blocks'
Django app writes them (a confidence check's staff download, or the ``commonground_report_data``
management command; the format is documented in ``xblocks/aggregates/report_data.py`` and the
coordinator guide, and a test checks both sides agree on it).

The rows become the same ``Inputs`` as Moodle's exports, with the pack the course was built from:
- a learner started a module when they have any row in it (a verdict or a rating), in the month
  of their earliest row;
- they finished it when every knowledge check of the module has a verdict, and their score is
  what Open edX's grader gives the module's assignment type (``coursepack.completion``), so a
  pass is the score reaching the module's pass mark;
- each knowledge check counts the learner's first answer (version 2 of the file: the options
  they sent first, read with the pack like Moodle's answers, and whether it was right), and a
  learner who answered every check passed first time when their first answers alone reach the
  pass mark; a version 1 file (or a row from before the blocks kept first answers) has only the
  latest verdict, and the report says what it then cannot show rather than guess;
- a confidence statement counts when the learner rated it in the "before" check and in the
  "after" check that repeats it;
- shared items are counted by kind, service, status and the month sent, with no learner;
- every row is read with the version of its module that wrote it (version 3 of the file names it,
  as the coordinator kit's questions.csv does): the pack's own version, or one a questions.csv
  given with ``--questions`` lists. Two versions are reported apart, and the report says so, as
  for Moodle. A version is scored with the weights, sections and pass mark of the pack or of
  its questions.csv; a questions.csv from before it listed them cannot score, so that version's
  pass rate is not worked out and the report says so. A row that does not
  know its version (files before version 3; rows written before the blocks kept it) is read as
  the pack's version, and refused with the file's line when its ids do not all fit it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

from coursepack.completion import assignment_type_percent
from coursepack.elements.confidence import Confidence
from coursepack.model import Pack

from .decode import ModuleKey, lms_token
from .exports import Attempt, Inputs
from .problems import InputProblem

FORMAT, VERSION = "commonground-openedx-data", 3
COLUMNS = ("record", "learner", "module", "module_version", "element", "statement", "correct", "first_answer", "first_correct", "tries",
           "rating", "kind", "service", "status", "month")
FIRST = ("first_answer", "first_correct", "tries")
# The columns of each version this reads: version 1 had no first answer, 1 and 2 no module version.
COLUMNS_OF = {1: tuple(c for c in COLUMNS if c not in FIRST + ("module_version",)),
              2: tuple(c for c in COLUMNS if c != "module_version"), 3: COLUMNS}
HEAD = re.compile(rf"^# {FORMAT} (\d+); course=([^;]*); exported=(\d{{4}}-\d{{2}}-\d{{2}}); modules=(.*)$")
END = re.compile(rf"^# end of {FORMAT}: (\d+) rows$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
KINDS = {"learning_review": "Learning reviews", "joint_feedback": "Joint feedback"}
STATUSES = ("pending", "returned", "published", "withdrawn")
AGAIN = ("download it again from the course (a confidence check's staff summary) or write it again with "
         "the management command, and give it as it was saved (not opened and saved in a spreadsheet)")


def is_ours(path: Path) -> bool:
    """Whether a file starts as the Open edX data file does (whatever else is wrong with it)."""
    try:
        with open(path, "rb") as f:
            start = f.read(len(FORMAT) + 8)
    except OSError:
        return False
    return start.removeprefix(b"\xef\xbb\xbf").startswith(f"# {FORMAT}".encode())


def _month(text: str) -> dt.date | None:
    m = MONTH.match(text)
    return dt.date(int(m[1]), int(m[2]), 1) if m and 1 <= int(m[2]) <= 12 else None


class _Module:
    """What one version of a pack module needs to check and read its rows: that version's
    knowledge checks (``key``, from the pack or a questions.csv; ``index`` into ``inputs.keys``)
    and the pack module's confidence checks (a questions.csv lists none: as for Moodle, they are
    the pack's). The key holds the weights, sections and pass mark a score needs, where its
    source lists them."""

    def __init__(self, module, key: ModuleKey, index: int):
        self.module, self.key, self.index = module, key, index
        self.scored = bool(key.weights) and key.pass_mark is not None
        self.where = "this pack" if key.source == "the pack" else key.source
        self.weights, self.sections = key.weights, key.sections
        checks = {c.id: c for c in module.elements(Confidence)}
        self.checks = checks
        # a check's id → the statements it rates and its scale (an "after" check repeats its "before")
        self.rates = {cid: checks[c.after] if c.after in checks else c for cid, c in checks.items()}
        self.statements = {cid: {s.id for s in rated.statements} for cid, rated in self.rates.items()}
        self.pairs = [(c.after, cid) for cid, c in checks.items() if c.after and c.after in checks]


def read(path: Path, inputs: Inputs, pack: Pack) -> None:
    """One data file into ``inputs``; every problem names the file (and line) and what to do."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputProblem(path, f"cannot be read ({exc.strerror or exc})", "check the file name") from None
    except UnicodeDecodeError:
        raise InputProblem(path, "is not UTF-8 text, so it is not the data file as the course wrote it", AGAIN) from None
    lines = text.splitlines()
    head = HEAD.match(lines[0].strip()) if lines else None
    if head is None:
        version = re.match(rf"^# {FORMAT} (\d+)", lines[0]) if lines else None
        if version and int(version[1]) not in COLUMNS_OF:
            _newer(path, version[1])
        raise InputProblem(path, "does not start as the Open edX data file does (its first line is damaged)", AGAIN)
    if int(head[1]) not in COLUMNS_OF:
        _newer(path, head[1])
    course, columns = head[2], COLUMNS_OF[int(head[1])]
    end = END.match(lines[-1].strip()) if len(lines) > 1 else None
    if end is None:
        raise InputProblem(path, "has no last line, so it was cut short", AGAIN)
    rows = list(csv.reader(io.StringIO("\n".join(lines[1:-1]) + "\n", newline="")))
    if not rows or tuple(rows[0]) != columns:
        raise InputProblem(f"{path}:2", f"has the columns {', '.join(rows[0][:len(columns)]) if rows else '(none)'} "
                           f"where version {head[1]} of the data file has {', '.join(columns)}", AGAIN)
    if len(rows) - 1 != int(end[1]):
        raise InputProblem(path, f"holds {len(rows) - 1} rows where its last line says {end[1]}, so rows are "
                           "missing or were added", AGAIN)
    if inputs.read:
        raise InputProblem(path, "is an Open edX data file, given with Moodle exports",
                           "report one LMS at a time: Moodle's files in one run, the Open edX file in another")
    if course in inputs.openedx:
        raise InputProblem(path, f"is a second data file of {course}", "give one file per course: the newest")
    if inputs.openedx:
        raise InputProblem(path, f"is from the course {course}, and another file is from {inputs.openedx[0]}",
                           "report one course at a time")
    modules = {m.id: m for m in pack.modules}
    versions: dict[tuple[str, str], _Module] = {}
    for i, key in enumerate(inputs.keys):
        if key.module in modules:
            versions.setdefault((key.module, key.version), _Module(modules[key.module], key, i))
    unknown: Counter = Counter()         # module → rows that do not say their version
    learners: dict[tuple[int, str], dict] = defaultdict(
        lambda: {"months": [], "verdicts": {}, "ratings": {}, "first": {}})
    shared = []
    for n, row in enumerate(rows[1:], start=3):
        where = f"{path}:{n}"
        if len(row) != len(columns):
            raise InputProblem(where, f"has {len(row)} cells where the data file has {len(columns)}", AGAIN)
        r = dict(zip(columns, row))
        month = _month(r["month"])
        if month is None:
            raise InputProblem(where, f"has '{r['month'][:20]}' as its month, not YYYY-MM", AGAIN)
        if r["record"] == "shared":
            if r["kind"] not in KINDS or r["status"] not in STATUSES:
                raise InputProblem(where, f"has a shared item of kind '{r['kind'][:30]}' and status "
                                   f"'{r['status'][:20]}', which the blocks do not write", AGAIN)
            shared.append((r["kind"], r["service"].strip() or "(not given)", r["status"], month))
            continue
        if r["record"] not in ("verdict", "rating"):
            raise InputProblem(where, f"has the record type '{r['record'][:20]}' (verdict, rating or shared)", AGAIN)
        mod = _version(where, r, modules, versions)
        unknown[r["module"]] += not r.get("module_version")
        if not r["learner"]:
            raise InputProblem(where, "has no learner label", AGAIN)
        held = learners[(mod.index, r["learner"])]
        held["months"].append(month)
        if r["record"] == "verdict":
            question = mod.key.questions.get(lms_token(r["element"]))
            if question is None:
                raise InputProblem(where, f"names the knowledge check '{r['element'][:40]}' of '{r['module']}', "
                                   f"which version {mod.key.version} of the module in {mod.where} does not have",
                                   "the course was built from another version of the pack: give --pack that version")
            if r["correct"] not in ("0", "1"):
                raise InputProblem(where, f"has '{r['correct'][:10]}' as a verdict (1 or 0)", AGAIN)
            held["verdicts"][r["element"]] = (r["correct"] == "1", month)
            held["first"][r["element"]] = _first(where, r, question)
        else:
            statements = mod.statements.get(r["element"])
            if statements is None or r["statement"] not in statements:
                raise InputProblem(where, f"names the confidence statement '{r['element'][:40]}/"
                                   f"{r['statement'][:40]}' of '{r['module']}', which version "
                                   f"{mod.module.version} of the module in this pack does not have",
                                   "the course was built from another version of the pack: give --pack that version")
            scale = mod.rates[r["element"]].scale
            if not r["rating"].isdigit() or not 1 <= int(r["rating"]) <= scale:
                raise InputProblem(where, f"has '{r['rating'][:10]}' as a rating (1 to {scale})", AGAIN)
            held["ratings"].setdefault(r["element"], {})[r["statement"]] = int(r["rating"])
    inputs.openedx_version = int(head[1])
    _fill(inputs, {mod.index: mod for mod in versions.values()}, learners, course)
    _notes(inputs, versions, {index for index, _ in learners}, unknown, int(head[1]))
    inputs.shared.extend(shared)
    inputs.openedx.append(course)
    if not learners and not shared:
        raise InputProblem(path, f"holds no learner rows of {course}",
                           "download it again once learners have answered; staff's own rows are never in it")


def _version(where: str, r: dict, modules: dict, versions: dict[tuple[str, str], _Module]) -> _Module:
    """The module version a row is read with: the one it names, or (not known) the pack's."""
    module = modules.get(r["module"])
    if module is None:
        raise InputProblem(where, f"names the module '{r['module'][:40]}', which this pack does not have",
                           "is it from another course or pack? Give --pack the content the course was built from")
    version = r.get("module_version") or module.version
    mod = versions.get((r["module"], version))
    if mod is None:
        raise InputProblem(where, f"is from version {version[:20]} of '{r['module']}', which neither this pack "
                           f"(version {module.version}) nor a questions.csv given has",
                           f"give --questions the coordinator kit's questions.csv of version {version[:20]} "
                           "(or --pack that version of the pack)")
    return mod


def _notes(inputs: Inputs, versions: dict[tuple[str, str], _Module], read: set[int], unknown: Counter,
           version: int) -> None:
    """What the report must say about the versions read: one read without a pack's weights, and
    rows that did not say their version (the note on two versions is the report's, as for Moodle)."""
    for mod in versions.values():
        if mod.index in read and not mod.scored:
            inputs.notes.append(f"'{mod.key.label}' was read with {mod.key.source}, which holds no weights: its "
                                "pass rate is not shown. Give --questions the questions.csv of a newer build "
                                "(it lists weights), or --pack the pack of that version, to see it.")
    for module, n in sorted(unknown.items()):
        if n and version >= 3:
            inputs.notes.append(f"{n} row(s) of '{module}' do not say which version of the module wrote them "
                                "(written before the blocks kept it): read as this pack's version, whose ids they "
                                "all fit.")


def _newer(path: Path, version: str):
    raise InputProblem(path, f"is version {version} of the Open edX data file; this commonground reads "
                       f"versions {', '.join(str(v) for v in list(COLUMNS_OF)[:-1])} and {list(COLUMNS_OF)[-1]}",
                       "update commonground (pip install -U commonground)")


def _first(where: str, r: dict, question) -> tuple[tuple[str, ...], bool, int] | None:
    """A verdict row's first answer (option ids in the order sent), whether it was right and the
    tries, checked against the pack's question; None where the row does not know them."""
    cells = [r.get(c, "") for c in FIRST]
    if not any(cells):
        return None
    answer, right, tries = cells
    options = tuple(answer.split())
    if not all(cells) or right not in ("0", "1") or not tries.isdigit() or int(tries) < 1:
        raise InputProblem(where, f"has '{answer[:40]}', '{right[:5]}' and '{tries[:5]}' as the first answer, whether "
                           "it was right and the tries (option ids; 1 or 0; 1 or more)", AGAIN)
    unknown = [o for o in options if o not in question.options]
    if unknown or len(set(options)) != len(options) or (question.right(options) != (right == "1")):
        raise InputProblem(where, f"has the first answer '{answer[:60]}' to '{r['element'][:40]}' "
                           f"({'right' if right == '1' else 'wrong'}), which this pack's question "
                           f"{'does not offer' if unknown or len(set(options)) != len(options) else 'judges otherwise'}",
                           "the course was built from another version of the pack: give --pack that version")
    return options, right == "1", int(tries)


def _fill(inputs: Inputs, modules: dict[int, _Module], learners: dict, course: str) -> None:
    """Each learner's progress in each module version, verdicts, first answers and before/after
    pairs into ``inputs``."""
    for (m, label), held in sorted(learners.items()):
        mod = modules[m]
        learner = inputs.learners.id(f"openedx {course} {label}")
        verdicts = {q: ok for q, (ok, _) in held["verdicts"].items()}
        complete = bool(mod.key.questions) and {lms_token(q) for q in verdicts} >= set(mod.key.questions)
        start = min(held["months"])
        first = {q: held["first"].get(q) for q in verdicts}
        if complete and not mod.scored:
            last = max(month for _, month in held["verdicts"].values())
            inputs.attempts[m][(learner, 1)] = Attempt(start, last, None, "completed")
        elif complete:
            score = assignment_type_percent(mod.weights, mod.sections, verdicts)
            last = max(month for _, month in held["verdicts"].values())
            inputs.attempts[m][(learner, 1)] = Attempt(start, last, score, "completed")
            if None not in first.values():
                at_first = assignment_type_percent(mod.weights, mod.sections, {q: f[1] for q, f in first.items()})
                inputs.first_time[(m, learner)] = at_first >= mod.key.pass_mark
                inputs.most_tries[(m, learner)] = max(f[2] for f in first.values())
            else:
                inputs.first_time[(m, learner)] = inputs.most_tries[(m, learner)] = None
        else:
            inputs.attempts[m][(learner, 1)] = Attempt(start, None, None, "incomplete" if verdicts else "")
        for p, period in enumerate(inputs.periods):
            if not period.holds(start):
                continue
            tally = inputs.verdicts[(p, m)]
            for qid, ok in verdicts.items():
                tally[lms_token(qid)][ok] += 1
                if first[qid] is not None:
                    inputs.chosen[(p, m)][(lms_token(qid), first[qid][0])] += 1
                else:
                    inputs.first_unknown = True
            ratings = inputs.ratings[(p, m)]
            for before, after in mod.pairs:
                b, a = held["ratings"].get(before, {}), held["ratings"].get(after, {})
                for sid in b.keys() & a.keys():
                    ratings[sid][(b[sid], a[sid])] += 1
