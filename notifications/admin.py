"""Read-only views for operators: statuses and errors, never addresses or texts (those
are seen, by coordinators only, on the message screens)."""

from django.contrib import admin

from .models import Broadcast, InboundMessage, Message, NumberFlag


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnly):
    list_display = ["id", "committee", "channel", "kind", "urgency", "status", "attempts",
                    "error_code", "created_at"]  # fmt: skip
    list_filter = ["status", "channel", "urgency", "kind", "committee"]
    exclude = ["to_address", "subject", "body"]
    raw_id_fields = ["person", "conversation", "broadcast"]


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnly):
    list_display = ["id", "committee", "outcome", "keyword", "received_at", "resolved_at"]
    list_filter = ["outcome", "committee"]
    exclude = ["from_address", "body"]
    raw_id_fields = ["person", "conversation", "reply", "resolved_by"]


@admin.register(NumberFlag)
class NumberFlagAdmin(ReadOnly):
    list_display = ["id", "committee", "kind", "active", "source", "reason", "changed_at"]
    list_filter = ["kind", "active", "source", "committee"]


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnly):
    list_display = ["id", "committee", "channel", "purpose", "state", "recipient_count"]
    list_filter = ["state", "committee"]
    exclude = ["text_en", "text_es"]
