"""Put in order: the learner puts 3 to 7 items in order, graded like any knowledge check.

The block is a knowledge check (``question.KnowledgeCheckBlock``: attempts, the grade, completion
on the first answer, the module's result) whose answer is the learner's order of all the items;
the element kind (``coursepack.elements.order``) judges it.
"""
from __future__ import annotations

from coursepack import markdown_html

from .base import _, display_name_field, markdown_field
from .question import KnowledgeCheckBlock

EXAMPLE = """::: order {#o-example attempts=2}
Put these steps for making a cup of tea in order.

1. Boil the water {#boil}
   The water has to be hot first.
2. Put a tea bag in the cup {#bag}
3. Pour the water on the tea bag {#pour}
   Pour once the bag is in the cup.

Explanation: Hot water first, then the bag, then pour.
:::"""


class PutInOrderBlock(KnowledgeCheckBlock):
    """``cg_order``: a graded "put in order" question."""

    kind = "order"
    markdown_help = _("One ::: order block: the question, then 3 to 7 items as '1. First step {#id}' in the "
                      "right order, each with feedback indented under it, then 'Explanation:'. Learners see "
                      "the items shuffled. Options: attempts=N (0 = unlimited), weight=N.")

    display_name = display_name_field(_("Put in order"), KnowledgeCheckBlock.display_name.help)
    content = markdown_field(EXAMPLE, _("The question in the Common Ground authoring syntax."))

    def element_data(self) -> dict:
        o = self.element
        return {"id": o.id, "type": "order", "prompt": markdown_html.render(o.prompt),
                "items": [{"id": i.id, "html": markdown_html.render_inline(i.text)} for i in o.shown],
                "attempts": o.attempts, "weight": o.weight}
