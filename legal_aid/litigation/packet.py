"""The evidence packet: a PDF for the lawyers listing a matter's linked incidents, their
observer logs, court-watch forms, accompaniments and broken commitments, each with its
date and source. A person is named only if they agreed (a consented declarant);
everyone else is described by what they did ("a trained court watcher").

ReportLab draws it with the Bitstream Vera font that ships inside the reportlab package
(embedded in the file, so accents and ñ print everywhere, and nothing is fetched)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from ..models import SourceKind
from . import selectors, sources

FONT, BOLD = "DefensaVera", "DefensaVeraBold"


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))


def _styles():
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13, spaceAfter=4)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=12.5, spaceBefore=10),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=10.5, spaceBefore=4),
        "body": body,
        "item": ParagraphStyle("item", parent=body, leftIndent=14),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
    }


class _Writer:
    def __init__(self, committee):
        self.zone = ZoneInfo(committee.timezone)
        self.styles = _styles()
        self.story = []

    def when(self, moment, with_time=False) -> str:
        if moment is None:
            return "—"
        if hasattr(moment, "tzinfo"):
            moment = timezone.localtime(moment, self.zone)
            if with_time:
                return date_format(moment, "DATETIME_FORMAT")
        return date_format(moment, "DATE_FORMAT")

    def add(self, style: str, text: str, *, bold_label: str = "") -> None:
        markup = escape(text)
        if bold_label:
            markup = f'<font name="{BOLD}">{escape(bold_label)}</font> {markup}'
        self.story.append(Paragraph(markup, self.styles[style]))


def _named(person_id, consented: dict[int, str], fallback: str) -> str:
    return consented.get(person_id) or fallback


def render(*, matter, links, language: str) -> bytes:
    _fonts()
    with translation.override(language):
        return _render(matter, links)


def _render(matter, links) -> bytes:
    found = sources.details(matter.committee, links)
    declarants = selectors.declarants(matter)
    consented = {d.person_id: d.person.preferred_name for d in declarants if d.consented}
    w = _Writer(matter.committee)
    w.add("title", _("Evidence packet: %(name)s") % {"name": matter.public_name})
    w.add("body", matter.get_claim_kind_display(), bold_label=_("Claim:"))
    if matter.claim:
        w.add("body", matter.claim)
    if matter.parties:
        w.add("body", matter.parties, bold_label=_("Parties:"))
    w.add("body", matter.court or "—", bold_label=_("Court:"))
    w.add("body", matter.case_number or "—", bold_label=_("Case number:"))
    w.add(
        "body",
        f"{matter.get_status_display()} ({w.when(matter.status_since)})",
        bold_label=_("Status:"),
    )
    w.add(
        "small",
        _(
            "Prepared by %(committee)s on %(date)s. People are named only if they agreed to "
            "be named to the legal team; everyone else is described by what they did."
        )
        % {"committee": matter.committee.name, "date": w.when(timezone.now(), with_time=True)},
    )
    by_kind = {kind: [] for kind in SourceKind.values}
    for link in links:
        by_kind[link.source_kind].append((link, found.get((link.source_kind, link.source_id))))
    _incidents(w, by_kind[SourceKind.INCIDENT])
    _court_watch(w, by_kind[SourceKind.COURT_WATCH], consented)
    _accompaniments(w, by_kind[SourceKind.ACCOMPANIMENT], consented)
    _commitments(w, by_kind[SourceKind.COMMITMENT])
    _declarants(w, declarants)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.8 * inch,
        rightMargin=0.8 * inch,
        title=_("Evidence packet: %(name)s") % {"name": matter.public_name},
        author=matter.committee.name,
    )
    doc.build(w.story)
    return buffer.getvalue()


def _why(w, link) -> None:
    w.add("item", link.get_conduct_display(), bold_label=_("Shows:"))
    if link.note:
        w.add("item", link.note, bold_label=_("Why it matters:"))


def _missing(w, link) -> None:
    w.add("item", _("This record is no longer available (removed or purged)."))
    _why(w, link)


def _incidents(w, rows) -> None:
    if not rows:
        return
    w.add("h2", _("Rapid-response incidents"))
    for link, incident in rows:
        w.add("h3", _("Incident #%(id)s") % {"id": link.source_id})
        if incident is None:
            _missing(w, link)
            continue
        w.add(
            "item",
            _(
                "First reported %(opened)s in %(zone)s; %(status)s (verified %(verified)s); "
                "%(reports)s report(s)."
            )
            % {
                "opened": w.when(incident.opened_at, with_time=True),
                "zone": incident.zone,
                "status": incident.status,
                "verified": w.when(incident.verified_at, with_time=True),
                "reports": incident.report_count,
            },
        )
        w.add("item", _("the committee's rapid-response incident log"), bold_label=_("Source:"))
        for obs in incident.observations:
            w.add(
                "item",
                _(
                    "%(date)s: agencies %(agencies)s; warrant: %(warrant)s; people detained: "
                    "%(detained)s."
                )
                % {
                    "date": w.when(obs.filed_at, with_time=True),
                    "agencies": ", ".join(obs.agencies) or "—",
                    "warrant": obs.warrant,
                    "detained": obs.detained_count,
                },
                bold_label=_("Observer log (a trained responder),"),
            )
            if obs.note:
                w.add("item", obs.note, bold_label=_("Observer's notes:"))
        _why(w, link)


def _yes_no(value) -> str:
    return _("not recorded") if value is None else (_("yes") if value else _("no"))


def _court_watch(w, rows, consented) -> None:
    if not rows:
        return
    w.add("h2", _("Court-watch forms"))
    for link, form in rows:
        w.add("h3", _("Court-watch form #%(id)s") % {"id": link.source_id})
        if form is None:
            _missing(w, link)
            continue
        w.add(
            "item",
            _("%(kind)s on %(date)s at %(place)s: %(result)s. Interpreter provided: %(interp)s.")
            % {
                "kind": form.hearing_kind,
                "date": w.when(form.hearing_at, with_time=True),
                "place": form.place,
                "result": form.result,
                "interp": _yes_no(form.interpreter_provided),
            },
        )
        reporter = _named(form.reporter_id, consented, _("a trained court watcher"))
        w.add(
            "item",
            _("court-watch form filed %(date)s by %(who)s")
            % {"date": w.when(form.reported_at, with_time=True), "who": reporter},
            bold_label=_("Source:"),
        )
        if form.notes:
            w.add("item", form.notes, bold_label=_("Notes:"))
        _why(w, link)


def _accompaniments(w, rows, consented) -> None:
    if not rows:
        return
    w.add("h2", _("Accompaniments"))
    for link, acc in rows:
        w.add("h3", _("Accompaniment #%(id)s") % {"id": link.source_id})
        if acc is None:
            _missing(w, link)
            continue
        person = _named(acc.client_id, consented, _("the person accompanied"))
        w.add(
            "item",
            _("%(kind)s on %(date)s at %(place)s, accompanying %(person)s.")
            % {
                "kind": acc.hearing_kind,
                "date": w.when(acc.hearing_at, with_time=True),
                "place": acc.place,
                "person": person,
            },
        )
        if acc.detained_reported_at:
            w.add(
                "item",
                _("Reported detained at %(date)s by %(who)s.")
                % {
                    "date": w.when(acc.detained_reported_at, with_time=True),
                    "who": _named(acc.volunteer_id, consented, _("the accompanier")),
                },
            )
        w.add("item", _("the committee's accompaniment records"), bold_label=_("Source:"))
        _why(w, link)


def _commitments(w, rows) -> None:
    if not rows:
        return
    w.add("h2", _("Broken commitments"))
    for link, commitment in rows:
        w.add("h3", _("Commitment #%(id)s") % {"id": link.source_id})
        if commitment is None:
            _missing(w, link)
            continue
        w.add(
            "item",
            _("%(agency)s: %(label)s. %(status)s since %(since)s; in writing: %(writing)s.")
            % {
                "agency": commitment.agency,
                "label": commitment.label,
                "status": commitment.status,
                "since": w.when(commitment.status_since),
                "writing": _yes_no(commitment.in_writing),
            },
        )
        for on, status, note, url in commitment.events:
            text = f"{w.when(on)}: {status}"
            if note:
                text += f" — {note}"
            if url:
                text += f" ({_('source')}: {url})"
            w.add("item", text)
        if commitment.incident_ids:
            w.add(
                "item",
                ", ".join(f"#{i}" for i in commitment.incident_ids),
                bold_label=_("Incidents that show it broken:"),
            )
        _why(w, link)


def _declarants(w, declarants) -> None:
    w.add("h2", _("Declarants"))
    agreed = [d for d in declarants if d.consented]
    for declarant in agreed:
        answer = next((a for a in declarant.answers.all() if a.granted), None)
        w.add(
            "item",
            _("%(name)s: agreed %(how)s on %(date)s (asked in %(language)s).")
            % {
                "name": declarant.person.preferred_name,
                "how": answer.get_method_display().lower() if answer else "",
                "date": w.when(answer.at if answer else None),
                "language": declarant.person.get_language_display(),
            },
        )
    others = len(declarants) - len(agreed)
    if others:
        w.add(
            "item",
            _("%(count)s other possible declarant(s) have not agreed: their names are withheld.")
            % {"count": others},
        )
    if not declarants:
        w.add("item", _("No declarants yet."))
