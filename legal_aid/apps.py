from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalAidConfig(AppConfig):
    name = "legal_aid"
    verbose_name = _("Legal aid")

    def ready(self):
        from members import audit

        # replies registers the SMS reply handler; erasure the erasure hook; panels the
        # dashboard panel; menu the menu entries; demo the demo data.
        from . import demo, erasure, menu, panels, replies  # noqa: F401
        from .litigation import demo as litigation_demo  # noqa: F401
        from .litigation import replies as litigation_replies  # noqa: F401

        audit.register_kind("legal_aid.case_viewed", _("Viewed a legal case"))
        audit.register_kind("legal_aid.document_viewed", _("Opened a case document"))
        audit.register_kind("legal_aid.document_uploaded", _("Uploaded a case document"))
        audit.register_kind("legal_aid.matter_viewed", _("Viewed a litigation matter"))
        audit.register_kind("legal_aid.declarant_viewed", _("Viewed a declarant's contact"))
        audit.register_kind("legal_aid.packet_exported", _("Exported an evidence packet"))
        audit.register_kind("legal_aid.matter_document_viewed", _("Opened a litigation document"))
        audit.register_kind(
            "legal_aid.matter_document_uploaded", _("Uploaded a litigation document")
        )
