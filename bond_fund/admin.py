"""Read-only admin: every change goes through the services (and the ledger is
append-only in the database)."""

from django.contrib import admin

from .models import BondRequest, Pledge, Transaction


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transaction)
class TransactionAdmin(ReadOnly):
    list_display = ("id", "committee", "kind", "at", "reason")
    list_filter = ("kind",)


@admin.register(BondRequest)
class BondRequestAdmin(ReadOnly):
    list_display = ("id", "committee", "status", "bond_type", "amount_cents", "posted_at")
    list_filter = ("status",)
    exclude = ("facility", "obligor_name", "note")


@admin.register(Pledge)
class PledgeAdmin(ReadOnly):
    list_display = ("id", "committee", "amount_cents", "paid_cents", "status", "due_on")
    exclude = ("person",)
