"""What SCORM says a value may be, checked by the tests themselves.

scorm-again (the test LMS) is more lenient than SCORM 1.2 and silently rewrites some invalid
values (``cmi.core.exit="normal"`` → ``""``, result ``incorrect`` → ``wrong``), so these checks
read the calls as the SCO made them (the launch page's ``calls`` log) as well as what the LMS
stored. Sources: SCORM 1.2 RTE §3.4 (data model, CMI data types); SCORM 2004 4th Ed. RTE §4.2.
"""
from __future__ import annotations

import re

DECIMAL = re.compile(r"^-?\d{1,10}(\.\d{1,7})?$")
TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
TIME_12 = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d{1,2})?$")
DURATION_2004 = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$")
TIMESTAMP_2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
IDENTIFIER_12 = re.compile(r"^[\x21-\x7e]{1,255}$")
CHOICE_12 = re.compile(r"^[0-9a-z](,[0-9a-z])*$")
TRUEFALSE_12 = re.compile(r"^[01tf]$")
LIKERT_12 = re.compile(r"^[0-9a-z]$")        # SCORM 1.2: a likert response is one character
# Moodle's CMIShortIdentifier (scorm_13.js): stricter than SCORM's (no hyphen), so the rule here.
SHORT_ID_2004 = re.compile(r"^[\w.]{1,250}$", re.ASCII)
# The common ground of SCORM 1.2's CMIIdentifier and 2004's identifiers: what we send as ids.
SAFE_TOKEN = re.compile(r"^[A-Za-z0-9_.]{1,250}$")
LANG_STRING_250 = re.compile(r"^(\{lang=[A-Za-z]{2,3}(-[A-Za-z0-9-]{2,8})?\})?(?!\{)(.{0,250})$", re.S)

STATUS_12 = ("not attempted", "browsed", "incomplete", "failed", "completed", "passed")
EXIT_12 = ("", "time-out", "suspend", "logout")
TYPES_12 = ("true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric")
RESULTS_12 = ("correct", "wrong", "unanticipated", "neutral")
COMPLETION_2004 = ("completed", "incomplete", "not attempted", "unknown")
SUCCESS_2004 = ("passed", "failed", "unknown")
EXIT_2004 = ("", "time-out", "suspend", "logout", "normal")
TYPES_2004 = ("true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
              "sequencing", "likert", "numeric", "other")
RESULTS_2004 = ("correct", "incorrect", "unanticipated", "neutral")
NAV_2004 = ("continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_")

WRITABLE_12 = re.compile(
    r"^cmi\.(core\.(lesson_status|lesson_location|exit|session_time|score\.(raw|min|max))|suspend_data|comments"
    r"|interactions\.\d+\.(id|type|time|weighting|student_response|result|latency"
    r"|correct_responses\.\d+\.pattern|objectives\.\d+\.id))$")
WRITABLE_2004 = re.compile(
    r"^(adl\.nav\.request|cmi\.(completion_status|success_status|location|exit|session_time|suspend_data"
    r"|score\.(raw|min|max|scaled)|progress_measure"
    r"|interactions\.\d+\.(id|type|timestamp|weighting|learner_response|result|latency|description"
    r"|correct_responses\.\d+\.pattern|objectives\.\d+\.id)))$")

RANK_12 = {"": 0, "not attempted": 0, "browsed": 1, "incomplete": 2, "failed": 3, "completed": 3, "passed": 4}
RANK_COMPLETION = {"": 0, "unknown": 0, "not attempted": 0, "incomplete": 1, "completed": 2}
RANK_SUCCESS = {"": 0, "unknown": 0, "failed": 1, "passed": 2}


def _score_ok(value: str, low: float = 0, high: float = 100) -> bool:
    return bool(DECIMAL.match(value)) and low <= float(value) <= high


def value_errors(version: str, element: str, value: str, types: dict[int, str] | None = None) -> list[str]:
    """Problems with one SetValue as SCORM defines it (``types``: interaction index → type)."""
    errors: list[str] = []
    types = types if types is not None else {}

    def bad(why):
        errors.append(f"{element}={value!r}: {why}")

    m = re.match(r"^cmi\.interactions\.(\d+)\.(.+)$", element)
    if version == "1.2":
        if not WRITABLE_12.match(element):
            bad("not a writable SCORM 1.2 element")
        elif element == "cmi.core.lesson_status" and value not in STATUS_12:
            bad("not in the 1.2 lesson_status vocabulary")
        elif element == "cmi.core.exit" and value not in EXIT_12:
            bad("not in the 1.2 exit vocabulary")
        elif element == "cmi.core.session_time" and not TIMESPAN_12.match(value):
            bad("not a CMITimespan")
        elif element == "cmi.core.lesson_location" and len(value) > 255:
            bad("longer than 255")
        elif element == "cmi.suspend_data" and len(value) > 4096:
            bad(f"{len(value)} characters: more than SCORM 1.2's 4096")
        elif element.startswith("cmi.core.score.") and not _score_ok(value):
            bad("not a decimal in 0..100")
        elif m:
            n, field = int(m.group(1)), m.group(2)
            if field == "id" and not (IDENTIFIER_12.match(value) and SAFE_TOKEN.match(value)):
                bad("not a CMIIdentifier made of [A-Za-z0-9_.]")
            elif field == "type":
                if value not in TYPES_12:
                    bad("not a 1.2 interaction type")
                types[n] = value
            elif field == "result" and value not in RESULTS_12 and not DECIMAL.match(value):
                bad("not a 1.2 result (correct, wrong, unanticipated, neutral)")
            elif field == "time" and not TIME_12.match(value):
                bad("not a CMITime")
            elif field == "latency" and not TIMESPAN_12.match(value):
                bad("not a CMITimespan")
            elif field == "weighting" and not DECIMAL.match(value):
                bad("not a CMIDecimal")
            elif field in ("student_response",) or field.startswith("correct_responses."):
                if len(value) > 255:
                    bad("longer than CMIFeedback's 255")
                kind = types.get(n)
                if kind == "choice" and not CHOICE_12.match(value):
                    bad("not a 1.2 choice response (single characters 0-9a-z, comma separated)")
                if kind == "true-false" and not TRUEFALSE_12.match(value):
                    bad("not a 1.2 true-false response (0, 1, t, f)")
                if kind == "likert" and not LIKERT_12.match(value):
                    bad("not a 1.2 likert response (one character 0-9a-z)")
        return errors

    if not WRITABLE_2004.match(element):
        bad("not a writable SCORM 2004 element")
    elif element == "cmi.completion_status" and value not in COMPLETION_2004:
        bad("not in the completion_status vocabulary")
    elif element == "cmi.success_status" and value not in SUCCESS_2004:
        bad("not in the success_status vocabulary")
    elif element == "cmi.exit" and value not in EXIT_2004:
        bad("not in the 2004 exit vocabulary")
    elif element == "cmi.session_time" and not DURATION_2004.match(value):
        bad("not a timeinterval (ISO 8601 duration, at most 2 decimals)")
    elif element == "cmi.location" and len(value) > 1000:
        bad("longer than 1000")
    elif element == "cmi.suspend_data" and len(value) > 64000:
        bad("longer than 64000")
    elif element == "cmi.score.scaled" and not _score_ok(value, -1, 1):
        bad("not in -1..1")
    elif element in ("cmi.score.raw", "cmi.score.min", "cmi.score.max") and not _score_ok(value):
        bad("not a decimal in 0..100")
    elif element == "adl.nav.request" and value not in NAV_2004:
        bad("not a navigation request this package should make")
    elif m:
        n, field = int(m.group(1)), m.group(2)
        if field == "id" and not SAFE_TOKEN.match(value):
            bad("not an identifier made of [A-Za-z0-9_.]")
        elif field == "type":
            if value not in TYPES_2004:
                bad("not a 2004 interaction type")
            types[n] = value
        elif field == "result" and value not in RESULTS_2004 and not DECIMAL.match(value):
            bad("not a 2004 result (correct, incorrect, unanticipated, neutral)")
        elif field == "timestamp" and not TIMESTAMP_2004.match(value):
            bad("not YYYY-MM-DDThh:mm:ss (a zone needs fractional seconds)")
        elif field == "latency" and not DURATION_2004.match(value):
            bad("not a timeinterval")
        elif field == "description" and not LANG_STRING_250.match(value):
            bad("not a localized string of at most 250 characters")
        elif field == "learner_response" or field.startswith("correct_responses."):
            kind = types.get(n)
            if kind == "choice" and not all(SHORT_ID_2004.match(p) for p in value.split("[,]")):
                bad("not a 2004 choice response (short identifiers separated by [,])")
            if kind == "true-false" and value not in ("true", "false"):
                bad("not a 2004 true-false response")
            if kind == "likert" and not SHORT_ID_2004.match(value):
                bad("not a 2004 likert response (one short identifier)")
    return errors


def call_errors(version: str, calls: list) -> list[str]:
    """Every rule the SCO's calls must keep, over one session's call log."""
    errors: list[str] = []
    types: dict[int, str] = {}
    seen_fields: dict[int, list[str]] = {}
    score_set = False
    status_el = ("cmi.core.lesson_status",) if version == "1.2" else ("cmi.success_status",)
    previous = None
    for name, element, value, result, *refusal in calls:
        if name == "error" and not (previous and previous[0] == "set" and previous[3] == "false"):
            errors.append(f"the SCO read an LMS error code ({element}) other than after a refused "
                          "SetValue: it must not depend on them")
        if name == "set" and refusal and refusal[0] not in ("", "fault"):
            errors.append(f"Moodle would refuse SetValue({element}, {value!r}): error {refusal[0]}")
        if name != "error":
            previous = (name, element, value, result)
        if name == "get" and element in ("cmi.core.lesson_mode", "cmi.mode"):
            errors.append(f"the SCO read {element}: it must not depend on the mode")
        if name != "set":
            continue
        errors += value_errors(version, element, value, types)
        m = re.match(r"^cmi\.interactions\.(\d+)\.(\w+)", element)
        if m:
            n, field = int(m.group(1)), m.group(2)
            if field == "id":                 # a record starts (again, when a retry resends it)
                seen_fields[n] = []
            fields = seen_fields.setdefault(n, [])
            if not fields and field != "id":
                errors.append(f"interaction {n}: {field} set before id")
            if len(fields) == 1 and version != "1.2" and field != "type":
                errors.append(f"interaction {n}: {field} set before type (2004 needs id, then type)")
            fields.append(field)
        if element.endswith("score.raw"):
            score_set = True
        if element in status_el and value in ("passed", "failed") and not score_set:
            errors.append(f"{element}={value} sent before any score")
    status_elements = ("cmi.core.lesson_status",) if version == "1.2" else ("cmi.completion_status", "cmi.success_status")
    for element in status_elements:
        reads = [i for i, c in enumerate(calls) if c[0] == "get" and c[1] == element]
        writes = [i for i, c in enumerate(calls) if c[0] == "set" and c[1] == element]
        if writes and (not reads or reads[0] > writes[0]):
            errors.append(f"{element} written before the SCO read what the LMS holds")
    init = sum(1 for c in calls if c[0] == "init")
    if init != 1:
        errors.append(f"initialised {init} times")
    return errors


def status_sequence_errors(version: str, calls: list, held: dict) -> list[str]:
    """A status is never lowered below what the LMS held or what was set before, and
    "incomplete" is written only over nothing recorded."""
    errors = []
    ranks = {"cmi.core.lesson_status": RANK_12} if version == "1.2" else {
        "cmi.completion_status": RANK_COMPLETION, "cmi.success_status": RANK_SUCCESS}
    current = dict(held)
    for name, element, value, result, *_ in calls:
        if name != "set" or element not in ranks or result != "true":
            continue
        rank, before = ranks[element], current.get(element, "")
        if rank.get(value, 0) < rank.get(before, 0):
            errors.append(f"{element} lowered from {before!r} to {value!r}")
        elif value == "incomplete" and rank.get(before, 0) >= rank["incomplete"] and before != value:
            errors.append(f"{element} set to incomplete over {before!r}")
        current[element] = value
    return errors


def stored_errors(version: str, stored: dict) -> list[str]:
    """The values the LMS stored, held to the same rules (after scorm-again's rewriting)."""
    errors = []
    types: dict[int, str] = {}
    for element in sorted(stored, key=lambda k: (k.count("."), k)):
        value = stored[element]
        if not isinstance(value, str) or value == "":
            continue
        if ("1.2" == version and WRITABLE_12.match(element)) or (version != "1.2" and WRITABLE_2004.match(element)):
            errors += value_errors(version, element, value, types)
    return errors
