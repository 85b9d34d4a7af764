"""Admin: read-only views of rounds and proposals. Changes go through the services (audited)."""

from django.contrib import admin

from bosetting.apps.matching.models import MatchingRound, Proposal


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatchingRound)
class MatchingRoundAdmin(_ReadOnly):
    list_display = ("pk", "label", "as_of", "status", "solver", "created_by", "created_at")
    list_filter = ("status", "solver")
    exclude = ("instance",)


@admin.register(Proposal)
class ProposalAdmin(_ReadOnly):
    list_display = ("round", "household", "municipality", "unit", "score", "status")
    list_filter = ("status", "decline_reason")
    search_fields = ("household__reference", "municipality__name")
