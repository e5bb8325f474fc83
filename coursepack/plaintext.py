"""Plain text from an author's Markdown (for downloaded files)."""
from __future__ import annotations

import html
import re

from . import markdown_html


def plain_text(markdown: str) -> str:
    """Markdown → the text a person reads: paragraphs and list items on lines of their own."""
    rendered = re.sub(r"</(p|li|h\d)>", "\n", markdown_html.render(markdown))
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    return re.sub(r"\n{3,}", "\n\n", text).strip()

