from functools import lru_cache

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import menu
from .access import ANONYMOUS, Action

# Pages every signed-in page links to (base.html).
LINKS = ["dashboard", "mfa_index", "account_logout", "set_language", "committees:switch"]


@lru_cache(maxsize=512)
def _nav(language: str, allowed: frozenset, member: bool) -> tuple[tuple[str, str], ...]:
    items = []
    with translation.override(language):
        for entry in menu.entries():
            if (entry.action is None and member) or entry.action in allowed:
                try:
                    items.append((reverse(entry.url_name), str(entry.label)))
                except NoReverseMatch:  # a part not installed in this deployment
                    continue
    return tuple(items)


@lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in LINKS}


def _nav_html(nav, path: str) -> str:
    """base.html's menu entries, the current page and its section marked; built here
    rather than by a template loop (the same markup, a fifth of the time)."""
    # One entry at most is marked: the page itself, else the longest entry the path is
    # under (/legal/litigation/3/ is Litigation's, not also Legal aid's at /legal/).
    under = [url for url, _label in nav if path.startswith(url)]
    section = "" if path in under else max(under, key=len, default="")
    items = []
    for url, label in nav:
        if path == url:
            state = ' aria-current="page"'
        elif url == section:
            state = ' class="in-section"'
        else:
            state = ""
        items.append(f'<li><a href="{escape(url)}"{state}>{escape(label)}</a></li>')
    return mark_safe("".join(items))  # noqa: S308 (every value above is escaped)


def viewer(request):
    """The viewer, the actions the navigation needs and the menu, once per page."""
    current = getattr(request, "viewer", ANONYMOUS)
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"viewer": ANONYMOUS, "can": {}, "links": _links()}
    can = {action.name: current.can(action) for action in Action}
    allowed = frozenset(action for action in Action if can[action.name])
    nav = _nav(translation.get_language(), allowed, bool(current.membership))
    return {
        "viewer": current,
        "can": can,
        "links": _links(),
        "nav": nav,
        "nav_html": _nav_html(nav, request.path),
    }
