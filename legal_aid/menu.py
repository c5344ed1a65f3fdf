"""Legal aid in the main menu."""

from django.utils.translation import gettext_lazy as _

from committees import menu
from committees.access import Action

menu.register(
    menu.Entry(
        url_name="legal_aid:queue", label=_("Legal aid"), action=Action.VIEW_LEGAL_QUEUE, order=40
    )
)
menu.register(
    menu.Entry(
        url_name="legal_aid:my_accompaniments",
        label=_("Accompaniments"),
        action=Action.ACCOMPANY,
        order=41,
    )
)
menu.register(
    menu.Entry(
        url_name="legal_aid:matters",
        label=_("Litigation"),
        action=Action.VIEW_MATTER_STATUS,
        order=42,
    )
)
