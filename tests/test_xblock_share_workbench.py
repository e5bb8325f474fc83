"""Learning reviews and joint feedback in the XBlock SDK workbench, over HTTP (CSRF included):
the "done when" walk with several learners and a staff user, and fifty learners sending at once
through two server processes sharing one database, with nothing lost and the counts exact."""
from __future__ import annotations

import csv
import io
import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from test_xblock_workbench import blocks_on, scenario_ids
from xblock_support import Learner, Workbench, migrate, needs_workbench, pack_of, workbench  # noqa: F401

pytestmark = pytest.mark.slow
# The modules with a learning review and joint feedback: the workbench serves these and the
# built-in scenarios (the whole loop among them), not every module (xblock_support.pack_of).
SHARING_MODULES = ("adverse-events", "working-together")
WORKBENCH_MODULES = SHARING_MODULES
LOOP = "Common Ground: sharing, the whole loop"
REVIEW = {"happened": "A person waited a long time between two services.",
          "helped": "A phone call between the two team leads.",
          "hindered": "The referral form asked the same questions twice.",
          "changing": "One shared form.", "takeaway": "Pick up the phone early.",
          "service": "Both", "month": "2026-03"}
FEEDBACK = {"service": "Substance use", "category": "risk", "text": "Discharge letters arrive late.",
            "month": "2026-02"}


def loop_scenario(base: str) -> str:
    _, index = Learner(base, "visitor").get("/")
    return next(sid for sid, title in scenario_ids(index).items() if title.startswith(LOOP))


def usages_of(html: str) -> dict[str, str]:
    return {tag: usage for usage, tag, _ in blocks_on(html)}


def cell(html: str, row: str) -> str:
    part = html[html.index(f'<th scope="row">{row}</th>'):]
    return part[:part.index("</tr>")]


def test_done_when_refused_fixed_approved_read_counted_and_exported(workbench):
    sid = loop_scenario(workbench.base)
    ann, ben, staff = (Learner(workbench.base, who) for who in ("ann", "ben", "staff"))
    used = usages_of(ann.scenario(sid))
    review, feedback = used["cg_learning_review"], used["cg_joint_feedback"]
    ben.scenario(sid)
    staff.scenario(sid)

    status, reply = ann.post(review, "share", {"fields": {**REVIEW, "happened": "It went wrong.\nCHI 0102034567 was read out."},
                                               "confirmed": True})
    assert status == 400 and "line 2: a CHI or NHS number" in reply["error"]
    status, reply = ann.post(review, "share", {"fields": {**REVIEW, "happened": "It went wrong.\nA number was read out."},
                                               "confirmed": True})
    assert status == 200 and reply["status"] == "pending"
    assert "A phone call between the two team leads." not in ben.scenario(sid)
    page = staff.scenario(sid)
    item = int(re.search(r'data-cg-action="approve" data-cg-item="(\d+)"', page).group(1))
    assert "Learner ann" in page, "moderators see who wrote it"
    assert ben.post(review, "moderate", {"item": item, "action": "approve"})[0] == 403
    assert staff.post(review, "moderate", {"item": item, "action": "approve"})[0] == 200
    seen = ben.scenario(sid)
    assert "A phone call between the two team leads." in seen and "Learner ann" not in seen

    # joint feedback: a cell shows its count only from 5 approved items
    senders = [Learner(workbench.base, f"jf-{n}") for n in range(5)]
    for n, sender in enumerate(senders):
        sender.scenario(sid)
        assert sender.post(feedback, "share", {"fields": {**FEEDBACK, "text": f"Letters late ({n})."},
                                               "confirmed": True})[0] == 200
    items = [int(i) for i in re.findall(r'data-cg-action="approve" data-cg-item="(\d+)"', staff.scenario(sid))]
    items = [i for i in items if i != item]
    assert len(items) == 5
    for pk in items[:4]:
        assert staff.post(feedback, "moderate", {"item": pk, "action": "approve"})[0] == 200
    risk = cell(ben.scenario(sid), "A risk")
    assert "fewer than 5" in risk and "<td>4</td>" not in risk
    staff.post(feedback, "moderate", {"item": items[4], "action": "approve"})
    assert "<td>5</td>" in cell(ben.scenario(sid), "A risk")

    status, text = staff.get(f"/handler/{feedback}/export/")
    assert status == 200
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["item", "kind", "service", "month", "status", "reply"] and len(table) == 6
    assert not re.search(r"jf-\d|Learner|ann", text)
    assert ben.get(f"/handler/{feedback}/export/")[0] == 403


def test_fifty_learners_send_at_once_through_two_server_processes(tmp_path):
    """One row per item: concurrent sendings through two processes lose none, and a retry of a
    sending (the same token) is never a second item; the counts come out exact."""
    needs_workbench()
    migrate(tmp_path)
    checkout = pack_of(tmp_path / "checkout", SHARING_MODULES)
    first = Workbench(tmp_path, cwd=checkout).wait()
    second = Workbench(tmp_path, cwd=checkout).wait()
    try:
        servers = [first, second]
        sid = loop_scenario(first.base)
        usage = usages_of(Learner(first.base, "x").scenario(sid))["cg_joint_feedback"]
        clients = [Learner(server.base, "crowd") for server in servers]
        for client in clients:
            client.scenario(sid)                # the page sets the client's CSRF cookie
        learners = [clients[n % 2].as_student(f"crowd-{n:02d}") for n in range(50)]
        kinds, services = ("risk", "improvement"), ("Mental health", "Substance use")

        def send(n_learner):
            n, learner = n_learner
            payload = {"fields": {**FEEDBACK, "category": kinds[n % 2], "service": services[(n // 2) % 2],
                                  "text": f"Item {n}."}, "confirmed": True, "token": f"crowd-{n}"}
            for attempt in range(5):
                try:
                    return learner.post(usage, "share", payload)
                except (ConnectionResetError, ConnectionRefusedError):
                    time.sleep(0.2 * (attempt + 1))
            return learner.post(usage, "share", payload)

        with ThreadPoolExecutor(max_workers=50) as pool:
            replies = list(pool.map(send, enumerate(learners)))
        assert [status for status, _ in replies] == [200] * 50, replies
        with sqlite3.connect(tmp_path / "workbench.db") as db:
            rows = db.execute("SELECT COUNT(*), COUNT(DISTINCT learner) FROM commonground_shareditem").fetchone()
        assert rows == (50, 50)
        staff = Learner(second.base, "staff")
        staff.scenario(sid)
        for _, reply in replies:
            assert staff.post(usage, "moderate", {"item": reply["item"], "action": "approve"})[0] == 200
        page = Learner(first.base, "reader").scenario(sid)
        # n % 2 picks the kind, (n // 2) % 2 the service: 13, 13, 12 and 12 items
        assert re.findall(r"<td>(\d+)</td>", cell(page, "A risk")) == ["13", "12"]
        assert re.findall(r"<td>(\d+)</td>", cell(page, "An improvement idea")) == ["13", "12"]
    finally:
        first.stop()
        second.stop()
