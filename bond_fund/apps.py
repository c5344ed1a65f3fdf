from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BondFundConfig(AppConfig):
    name = "bond_fund"
    verbose_name = _("Bond fund")

    def ready(self):
        from committees import menu
        from committees.access import Action
        from members import audit

        # replies: the on-call SMS handler; erasure: the pledger hook; panels: the
        # dashboard panel; demo: a year of demo history.
        from . import demo, erasure, panels, replies  # noqa: F401

        menu.register(menu.Entry("bond_fund:bond_list", _("Bond fund"), Action.VIEW_BONDS, 50))
        audit.register_kind("bond_fund.bond_viewed", _("Viewed a bond request"))
        audit.register_kind("bond_fund.document_opened", _("Opened a bond's ICE form"))
        audit.register_kind("bond_fund.pledge_viewed", _("Viewed a pledge"))
        audit.register_kind("bond_fund.ledger_exported", _("Exported the bond fund ledger"))
