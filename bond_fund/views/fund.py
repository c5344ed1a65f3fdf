"""The treasurer's screens: the dashboard, pledges and payments, the refund pipeline,
the ledger and its CSV export."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires
from lib.csv_io import write_csv
from members import audit

from .. import selectors, services
from ..chart import fund_chart
from ..forms import PaymentForm, ReversalForm, ThresholdForm, TreasurerPledgeForm
from ..models import OPEN_STATUSES, BondRequest, PledgeSource, PledgeStatus

PAGE_SIZE = 50


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@requires(Action.VIEW_FUND)
def dashboard(request):
    viewer = request.viewer
    series = selectors.monthly_series(viewer=viewer)
    return render(
        request,
        "bond_fund/dashboard.html",
        {
            "totals": selectors.fund_totals(viewer=viewer),
            "overdue": list(selectors.overdue_pledges(viewer=viewer)[:10]),
            "overdue_count": selectors.overdue_pledges(viewer=viewer).count(),
            "ages": selectors.awaiting_by_age(viewer=viewer),
            "series": series,
            "chart": fund_chart(series),
            "check": selectors.last_check(viewer=viewer),
            "settings": services.fund_settings(viewer.committee),
            "threshold_form": ThresholdForm(),
        },
    )


@require_POST
@requires(Action.FUND_SETTINGS)
def fund_settings(request):
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            services.fund_settings_update(
                actor=request.viewer, two_person_threshold_cents=form.cleaned_data["threshold"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Enter an amount in dollars, like 1,500 or 200.50."))
    return redirect("bond_fund:dashboard")


@require_POST
@requires(Action.MOVE_MONEY)
def transaction_reverse(request, transaction_id):
    from ..models import Transaction

    original = get_object_or_404(
        Transaction.objects.all(), request.viewer, Action.MOVE_MONEY, pk=transaction_id
    )
    form = ReversalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this is being corrected."))
        return redirect("bond_fund:ledger")
    try:
        services.transaction_reverse(
            actor=request.viewer, original=original, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Corrected: a reversing transaction was added."))
    return redirect("bond_fund:ledger")


@requires(Action.VIEW_FUND)
def refunds(request):
    """Every posted bond, oldest first: what is out with ICE and where its refund is."""
    bonds = selectors.awaiting_refund(viewer=request.viewer)
    return render(
        request,
        "bond_fund/refunds.html",
        {"page": Paginator(bonds, PAGE_SIZE).get_page(request.GET.get("page"))},
    )


@requires(Action.VIEW_FUND)
def pledge_list(request):
    viewer = request.viewer
    pledges = selectors.pledges(viewer=viewer)
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        pledges = selectors.overdue_pledges(viewer=viewer)
    return render(
        request,
        "bond_fund/pledge_list.html",
        {
            "page": Paginator(pledges, PAGE_SIZE).get_page(request.GET.get("page")),
            "overdue": overdue,
        },
    )


@requires(Action.MOVE_MONEY)
def pledge_create(request):
    from members.consent import Channel, ConsentSource, Purpose, consent_record
    from members.services import contact_find_or_create

    viewer = request.viewer
    bonds = list(
        BondRequest.objects.filter(committee=viewer.committee, status__in=OPEN_STATUSES)
        .only("pk")
        .order_by("-pk")[:200]
    )
    form = TreasurerPledgeForm(
        request.POST or None, bonds=bonds, initial={"language": translation.get_language()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        bond = next((b for b in bonds if b.pk == data["bond_id"]), None)
        try:
            match = contact_find_or_create(
                committee=viewer.committee,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"],
                source="bond_fund_treasurer",
            )
            if match.created and data["consent"]:
                for channel in [
                    c
                    for c, v in ((Channel.SMS, data["phone"]), (Channel.EMAIL, data["email"]))
                    if v
                ]:
                    consent_record(
                        person=match.person,
                        purpose=Purpose.FUNDRAISING,
                        channel=channel,
                        granted=True,
                        wording=str(form.fields["consent"].label),
                        language=translation.get_language(),
                        source=ConsentSource.SPOKEN,
                        recorded_by=viewer.membership,
                    )
            pledge = services.pledge_create(
                committee=viewer.committee,
                person=match.person,
                amount_cents=data["amount"],
                due_on=data["due_on"],
                source=PledgeSource.TREASURER,
                bond=bond,
                actor=viewer,
                instalments=data["instalments"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Pledge recorded."))
            return redirect("bond_fund:pledge_detail", pledge_id=pledge.pk)
    return render(
        request, "bond_fund/pledge_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _pledge(request, pledge_id):
    return get_object_or_404(
        selectors.pledges(viewer=request.viewer), request.viewer, Action.VIEW_FUND, pk=pledge_id
    )


@requires(Action.VIEW_FUND)
def pledge_detail(request, pledge_id, form=None):
    pledge = _pledge(request, pledge_id)
    if pledge.person is not None:
        audit.audit_record(
            viewer=request.viewer,
            kind="bond_fund.pledge_viewed",
            person=pledge.person,
            target=pledge,
        )
    return render(
        request,
        "bond_fund/pledge_detail.html",
        {
            "pledge": pledge,
            "payments": pledge.payments.select_related("recorded_by__person"),
            "form": form or PaymentForm(),
            "treasurer": request.viewer.can(Action.MOVE_MONEY),
            "open": pledge.status == PledgeStatus.OPEN,
        },
        status=400 if form is not None else 200,
    )


@require_POST
@requires(Action.MOVE_MONEY)
def payment_create(request, pledge_id):
    pledge = _pledge(request, pledge_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.payment_record(
                actor=request.viewer,
                pledge=pledge,
                amount_cents=data["amount"],
                fee_cents=data["fee"] or 0,
                method=data["method"],
                reference=data["reference"],
                received_on=data["received_on"],
                idempotency_key=data["key"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Payment recorded. A receipt goes by email."))
            return redirect("bond_fund:pledge_detail", pledge_id=pledge.pk)
    return pledge_detail(request, pledge_id, form=form)


@requires(Action.VIEW_FUND)
def ledger(request):
    page = Paginator(selectors.ledger(viewer=request.viewer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bond_fund/ledger.html",
        {"page": page, "balances": selectors.balances(committee=request.viewer.committee)},
    )


def ledger_header():
    return [
        _("Transaction"),
        _("Date"),
        _("Kind"),
        _("Account"),
        _("Debit"),
        _("Credit"),
        _("Reason"),
        _("Bond"),
        _("Pledge no."),
        _("Payment"),
        _("Reverses"),
    ]


def _cents(value: int) -> str:
    return f"{value / 100:.2f}" if value else ""


@requires(Action.EXPORT_LEDGER)
@reauthentication_required
def ledger_export(request):
    """Every entry as CSV for the accountant: after the password again, and audited."""
    viewer = request.viewer
    rows_query = selectors.ledger_rows(viewer=viewer)
    audit.audit_record(
        viewer=viewer,
        kind="bond_fund.ledger_exported",
        row_count=rows_query.count(),
        details={"export": "bond_fund_ledger"},
    )
    language = translation.get_language()

    def rows():
        for entry in rows_query.iterator(chunk_size=2000):
            txn = entry.transaction
            yield [
                txn.pk,
                timezone.localtime(txn.at).strftime("%Y-%m-%d %H:%M"),
                txn.get_kind_display(),
                entry.account.get_kind_display(),
                _cents(entry.amount_cents if entry.amount_cents > 0 else 0),
                _cents(-entry.amount_cents if entry.amount_cents < 0 else 0),
                txn.reason,
                txn.bond_id or "",
                txn.pledge_id or "",
                txn.payment_id or "",
                txn.reverses_id or "",
            ]

    def content():
        with translation.override(language):
            yield from write_csv(rows(), ledger_header())

    response = StreamingHttpResponse(content(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ledger-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
