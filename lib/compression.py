"""Gzip for the pages of visitors who are not signed in, and for no one else.

Compressing a page that holds a secret and also echoes what a visitor sent opens it to
BREACH: someone who sees the sizes of the encrypted responses (on the same Wi-Fi) and can
make the browser send requests of their choosing guesses the secret a character at a
time. Hence:

- Pages of a signed-in member are never compressed. They carry other people's names,
  phones and cases, and some echo a query string; a top-level navigation from another
  site carries the session cookie (SameSite=Lax), so the conditions can all be met.
- Pages of a visitor who is not signed in (the public forms, the sign-in page) are. Their
  only secret is the CSRF token, and Django masks it afresh on every response, so there
  is nothing repeated for the guesses to converge on; the rest is public text and what
  the visitor typed into the same request (no one else can make the browser send that).
  Django's GZipMiddleware also pads each response with random bytes ("Heal the BREACH").
- Only HTML: static files are compressed ahead of time by whitenoise (gzip and brotli,
  served before this middleware is reached), and files such as documents are left as
  they are.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware


class AnonymousHtmlGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
