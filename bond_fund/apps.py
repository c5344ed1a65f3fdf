from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BondFundConfig(AppConfig):
    name = "bond_fund"
    verbose_name = _("Bond fund")

    def ready(self):
        # replies: the on-call SMS handler; erasure: the pledger hook; panels: the
        # dashboard panel.
        from . import erasure, panels, replies  # noqa: F401
