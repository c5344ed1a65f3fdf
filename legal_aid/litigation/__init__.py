"""Impact litigation inside legal aid: matters, their lawyers' group, evidence from the
other parts, declarants and their consent, the evidence packet and patterns.

Models are in `legal_aid.models.litigation`, writes in `legal_aid.services.litigation`
and `legal_aid.services.evidence`, screens in `legal_aid.views.litigation`.
"""
