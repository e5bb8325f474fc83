"""The one content model of Common Ground.

Markdown modules are parsed and validated into immutable model objects (``model``), rendered to
sanitised HTML (``markdown_html``, ``render``) and scored by the one completion rule
(``completion``). Deliveries (XBlocks, SCORM, the preview site) read this package; it knows none
of them.
"""
