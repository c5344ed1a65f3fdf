"""A fast first load on a slow phone (issue 17): the cheap guards of what `make bench`'s
slow3g section measures in Chromium.

- The public pages and a member's training list, with every static file they reference
  compressed as whitenoise serves it, fit the first-visit budget (30 KB) with room; no
  script blocks rendering; htmx is loaded only by the pages that use it.
- Production stores static files compressed (gzip and brotli) under hashed names, and they
  are served compressed and cached for good (`immutable`).
- HTML is gzipped for visitors who are not signed in, never for a signed-in member
  (BREACH: lib/compression.py).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from committees.roles import Role
from trainings.models import Training

from .factories import make_member
from .test_deploy import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parent.parent
FIRST_VISIT_BUDGET = 30 * 1024  # bytes over the wire, headers included (bench: slow3g)
# What the stylesheet, scripts and icons of one page may weigh compressed together: the
# budget less a page's HTML, with room for it to grow.
ASSETS_BUDGET = 10 * 1024
HEADERS_PER_REQUEST = 500  # bytes of response headers a request costs (measured: ~400)
ACCEPT = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


class Assets(HTMLParser):
    """The URLs a page makes the browser fetch: stylesheets, icons, scripts, images."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.blocking_scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href") and attrs.get("rel") in {"stylesheet", "icon"}:
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
            if "defer" not in attrs and "async" not in attrs:
                self.blocking_scripts.append(attrs["src"])
        elif tag == "img" and attrs.get("src") and not attrs["src"].startswith("data:"):
            self.urls.append(attrs["src"])


def assets_of(html: str) -> Assets:
    parser = Assets()
    parser.feed(html)
    return parser


def compressed_size(url: str) -> int:
    """The bytes whitenoise sends for a static URL to a browser that takes brotli."""
    assert url.startswith(settings.STATIC_URL), f"{url} is not a static file"
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is referenced but not found among the static files"
    data = Path(path).read_bytes()
    return min(len(data), len(brotli.compress(data)), len(gzip.compress(data, 9)))


@pytest.fixture
def first_load_pages(committee):
    """(label, path, client) of the public pages and a member's training list, with a
    full page of trainings."""
    start = timezone.now() + timedelta(days=2)
    Training.objects.bulk_create(
        Training(
            committee=committee,
            kind="know_your_rights",
            title_en=f"Know Your Rights {i}",
            title_es=f"Conozca sus derechos {i}",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=2),
            capacity=30,
            place_name="Casa del Pueblo",
            visibility="public" if i % 2 == 0 else "members",
        )
        for i in range(60)
    )
    training = Training.objects.filter(committee=committee, visibility="public").first()
    member = make_member(committee, roles=[Role.MEMBER], name="Mara Member")
    signed_in = Client()
    signed_in.force_login(member.person.user)
    slug = {"committee_slug": committee.slug}
    return [
        (
            "training sign-up",
            reverse(
                "trainings_public:training", kwargs={**slug, "public_training_id": training.pk}
            ),
            Client(),
        ),
        ("legal intake", reverse("legal_aid_public:intake", kwargs=slug), Client()),
        ("report form", reverse("rapid_response_public:report", kwargs=slug), Client()),
        ("pledge page", reverse("bond_fund_public:pledge", kwargs=slug), Client()),
        ("coalition page", reverse("coalition_public:page", kwargs=slug), Client()),
        ("member's training list", reverse("trainings:list"), signed_in),
    ]


def test_first_visits_fit_the_budget_with_no_blocking_script(first_load_pages):
    for label, path, client in first_load_pages:
        response = client.get(path, **ACCEPT)
        assert response.status_code == 200, label
        html = response.content
        if response.get("Content-Encoding") == "gzip":
            html = gzip.decompress(html)
        assets = assets_of(html.decode())
        assert not assets.blocking_scripts, f"{label}: scripts without defer"
        assert not any("htmx" in url for url in assets.urls), f"{label} loads htmx"
        asset_bytes = sum(compressed_size(url) for url in assets.urls)
        assert asset_bytes <= ASSETS_BUDGET, f"{label}: {asset_bytes} B of static files"
        total = len(response.content) + asset_bytes
        total += HEADERS_PER_REQUEST * (1 + len(assets.urls))
        assert total < FIRST_VISIT_BUDGET * 0.8, f"{label}: {total} B on a first visit"


def test_public_pages_are_gzipped_and_signed_in_pages_are_not(first_load_pages):
    (_label, public_path, anonymous), *_, (_, member_path, signed_in) = first_load_pages
    public = anonymous.get(public_path, **ACCEPT)
    assert public["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in public["Vary"]
    assert b"<main" in gzip.decompress(public.content)
    member = signed_in.get(member_path, **ACCEPT)
    assert member.status_code == 200
    assert not member.has_header("Content-Encoding")
    assert b"<main" in member.content
    # Compressing a public page is safe because its one secret, the CSRF token, is
    # masked afresh on every response: nothing repeats for a BREACH guess to match.
    tokens = set()
    for _ in range(2):
        html = gzip.decompress(anonymous.get(public_path, **ACCEPT).content).decode()
        tokens.update(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 2
    # Not asked for gzip: not sent gzip.
    assert not anonymous.get(public_path).has_header("Content-Encoding")


def test_only_html_is_gzipped(committee):
    feed = Client().get(
        reverse("trainings_public:feed", kwargs={"committee_slug": committee.slug}), **ACCEPT
    )
    assert feed.status_code == 200
    assert not feed.has_header("Content-Encoding")


def test_templates_with_htmx_attributes_load_htmx():
    """htmx is not in base.html (a public page's first visit must not pay for it): a page
    with hx- attributes, or including a part that has them, includes _htmx.html."""
    templates = ROOT / "templates"
    sources = {
        str(path.relative_to(templates)): path.read_text() for path in templates.rglob("*.html")
    }
    with_htmx = {name for name, text in sources.items() if re.search(r"\shx-[a-z]+=", text)}
    # Parts (names starting with _) are checked through the pages that include them.
    pending = sorted(with_htmx)
    missing = []
    while pending:
        name = pending.pop()
        if Path(name).name.startswith("_"):
            includers = [other for other, text in sources.items() if f'include "{name}"' in text]
            assert includers, f"{name} has hx- attributes and no page includes it"
            pending += [other for other in includers if other not in with_htmx]
            with_htmx.update(includers)
        elif 'include "_htmx.html"' not in sources[name]:
            missing.append(name)
    assert not missing, f"pages with hx- attributes that do not load htmx: {missing}"
    assert 'include "_htmx.html"' not in sources["base.html"]
    assert "htmx.min.js" not in sources["base.html"]


def test_production_stores_static_files_compressed_under_hashed_names():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV)
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'storage': settings.STORAGES['staticfiles']['BACKEND'], "
        "'middleware': settings.MIDDLEWARE, "
        "'max_age': getattr(settings, 'WHITENOISE_MAX_AGE', None), "
        "'immutable_test': getattr(settings, 'WHITENOISE_IMMUTABLE_FILE_TEST', None)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout.strip().splitlines()[-1])
    assert production["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # whitenoise serves the static files, before anything else runs for them.
    assert production["middleware"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    # Its own test of what is immutable (a name with the manifest's hash) is kept.
    assert production["immutable_test"] is None
    assert "lib.compression.AnonymousHtmlGZipMiddleware" in production["middleware"]


def test_collected_static_files_are_served_compressed_and_cached_for_good(
    tmp_path, first_load_pages
):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The project's own files only (the admin's and allauth's would take seconds to
    # compress, and no page measured here uses them).
    own = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, STATICFILES_FINDERS=own):
        call_command("collectstatic", interactive=False, verbosity=0)
        label, path, _client = first_load_pages[0]
        html = gzip.decompress(Client().get(path, **ACCEPT).content).decode()
        urls = assets_of(html).urls
        stylesheet = next(url for url in urls if url.endswith(".css"))
        assert re.search(r"/defensa\.[0-9a-f]{12}\.css$", stylesheet), stylesheet
        name = stylesheet.removeprefix(settings.STATIC_URL)
        assert (tmp_path / f"{name}.br").exists()
        assert (tmp_path / f"{name}.gz").exists()
        client = Client()  # its WhiteNoise reads the files collected above
        for url in urls:
            response = client.get(url, **ACCEPT)
            assert response.status_code == 200, url
            assert "immutable" in response["Cache-Control"], url
            max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])
            assert max_age >= 365 * 24 * 60 * 60, url
        css = client.get(stylesheet, **ACCEPT)
        assert css["Content-Encoding"] == "br"
        assert int(css["Content-Length"]) < 8 * 1024
        assert client.get(stylesheet, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
        # The name without the hash may change: browsers keep it only a minute.
        unhashed = client.get(settings.STATIC_URL + "css/defensa.css", **ACCEPT)
        assert "immutable" not in unhashed["Cache-Control"]
