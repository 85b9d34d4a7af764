from django.contrib import admin

from bosetting.apps.accounts.models import AccessGrant, Identity, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "office", "municipality", "county", "is_local_admin")
    list_filter = ("role", "is_local_admin")


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    """Verified identities (read only: they come from the identity provider)."""

    list_display = ("display_name", "issuer", "user", "last_login_at")
    readonly_fields = ("issuer", "subject", "pid", "email", "name", "created_at", "last_login_at")
    search_fields = ("name", "email", "subject")


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    """Grants are made on the access pages (audited); the admin only shows them."""

    list_display = ("__str__", "municipality", "granted_by", "created_at", "claimed_at")
    list_filter = ("role", "kind")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
