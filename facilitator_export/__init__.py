"""The facilitator kit: sessions people lead in a room or on a call, from the same Markdown as
the e-learning (``commonground build`` writes it to ``dist/facilitator``; see ``build``).

A delivery like ``scorm_export``: it reads the content model and imports no other delivery.
"""
