"""Support lines: the pack's order and labels (brief 9a), and what the pause panel shows."""
from __future__ import annotations

import shutil
from pathlib import Path

from coursepack.load import load_pack
from coursepack.model import Callout, SupportLine
from coursepack.render import render_fragment

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "pack"


def test_the_pack_lists_999_then_111_then_lines_for_talking():
    lines = load_pack(REPO / "content").pack.support_lines
    assert [s.contact for s in lines[:2]] == ["999", "111"]
    by_name = {s.name: s for s in lines}
    living = by_name["NHS Living Life"]
    assert living.hours == "" and "guided self-help" in living.offers.lower()
    assert "not a service for urgent help" in living.offers
    assert by_name["Breathing Space"].textphone == "18001 0800 22 44 88"
    assert "see the website for opening times" in by_name["Scottish Families Affected by Alcohol and Drugs"].hours.lower()
    assert all(s.source and s.checked_on for s in lines), "publishers can see where each line came from"


def test_the_pause_panel_shows_links_and_textphone_but_never_publisher_notes():
    line = SupportLine("Breathing Space", "0800 83 85 87", "Someone to talk to.", hours="Evenings",
                       url="https://breathingspace.scot", textphone="18001 0800 22 44 88",
                       source="S41-SECRET", check_before_publishing="PUBLISHER-ONLY")
    html = str(render_fragment((Callout("pause", "Take a moment."),), anchor="a", support_lines=(line,)))
    assert '<a href="tel:0800838587">0800 83 85 87</a>' in html
    assert '<a href="https://breathingspace.scot" rel="noopener noreferrer">Breathing Space website</a>' in html
    assert "Textphone: 18001 0800 22 44 88" in html
    assert "S41-SECRET" not in html and "PUBLISHER-ONLY" not in html


def test_a_line_with_an_unsafe_address_is_refused(tmp_path):
    pack = shutil.copytree(FIXTURE, tmp_path / "pack")
    yml = pack / "pack.yml"
    yml.write_text(yml.read_text().replace("    hours: Always", "    hours: Always\n    url: javascript:alert(1)"))
    result = load_pack(pack)
    assert result.pack is None or any(d.code == "bad-value" and "url" in d.message for d in result.diagnostics.errors)
    assert any("web address" in d.message for d in result.diagnostics.errors)


def test_a_hostile_address_that_slips_past_the_loader_is_not_linked():
    line = SupportLine("X", "1", "Y.", url="javascript:alert(1)")
    html = str(render_fragment((Callout("pause", "Pause."),), anchor="a", support_lines=(line,)))
    assert "javascript:" not in html
