from .access import ANONYMOUS, Action


def viewer(request):
    """The viewer and the actions the navigation needs, computed once per page."""
    current = getattr(request, "viewer", ANONYMOUS)
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"viewer": ANONYMOUS, "can": {}}
    return {
        "viewer": current,
        "can": {action.name: current.can(action) for action in Action},
    }
