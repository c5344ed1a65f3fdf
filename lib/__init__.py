"""Helpers every app shares. `lib` imports no app of ours (only Django and settings).

crypto      field encryption and the keyed lookup hash
csv_io      CSV reading and writing (formula neutralising, UTF-8 byte-order mark)
links       signed links that work without a login, absolute URLs
throttle    rate limits kept in Django's cache
antibot     the honeypot and signed time stamp of public forms
bulk        `bulk_insert`, a faster `bulk_create` on PostgreSQL
redaction   the logging filter that masks phone numbers and emails
dates       local date and time formatting in a committee's time zone
"""
