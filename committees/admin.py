from allauth.mfa.models import Authenticator
from django.contrib import admin

from .models import Committee, Invitation, Membership, MembershipRole, Zone


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "area", "timezone"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ZoneInline]


class MembershipRoleInline(admin.TabularInline):
    model = MembershipRole
    extra = 0


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "committee", "status", "joined_at"]
    list_filter = ["committee", "status"]
    list_select_related = ["person", "committee"]
    raw_id_fields = ["person", "vouched_by", "approved_by", "suspended_by"]
    inlines = [MembershipRoleInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "committee", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = ["committee"]
    readonly_fields = ["token_hash", "used_at", "used_by"]
    raw_id_fields = ["person", "created_by"]


# allauth's own admin lets any staff user delete someone's second factor, after which
# their password alone signs them in. Here authenticators can be looked at, never
# added, changed or deleted: each person manages theirs under "Security".
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
