"""The shared library helpers this part uses (anti-bot form, throttles, keyed hashes)."""

from lib.antibot import AntiBotForm
from lib.crypto import lookup_hash
from lib.throttle import allow, client_ip

__all__ = ["AntiBotForm", "allow", "client_ip", "lookup_hash"]
