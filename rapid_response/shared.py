"""The shared library helpers this part uses (anti-bot form, throttles, keyed hashes)."""

try:
    from lib.antibot import AntiBotForm
    from lib.crypto import lookup_hash
    from lib.throttle import allow, client_ip
except ImportError:  # before the helpers moved into lib/
    from members.crypto import lookup_hash
    from trainings.forms import PublicSignUpForm as _SignUp
    from trainings.throttle import allow, client_ip

    class AntiBotForm(_SignUp.__bases__[0].__bases__[0]):  # forms.Form
        from django import forms as _forms

        website = _forms.CharField(required=False)
        started = _forms.CharField(widget=_forms.HiddenInput)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in ("website", "started"):
                self.fields[name] = self.fields.pop(name)
            if not self.is_bound:
                self.initial["started"] = self.fresh_started()

        fresh_started = _SignUp.fresh_started
        _elapsed = _SignUp._elapsed
        looks_automated = _SignUp.looks_automated
        stamp_is_usable = _SignUp.stamp_is_usable


__all__ = ["AntiBotForm", "allow", "client_ip", "lookup_hash"]
