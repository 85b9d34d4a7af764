"""Admin: read-only views of cases for superusers. Changes go through the services (audited)."""

from django.contrib import admin

from bosetting.apps.cases.models import CaseChecklist, CaseEvent, Household, Person, SelfSettlement


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    can_delete = False
    readonly_fields = ("birth_year", "sex", "is_principal", "arrived_by_reunification")


@admin.register(Household)
class HouseholdAdmin(_ReadOnly):
    list_display = (
        "reference",
        "household_type",
        "status",
        "municipality",
        "permit_date",
        "settled_on",
    )
    list_filter = ("status", "household_type", "self_settled", "synthetic")
    search_fields = ("reference",)
    inlines = [PersonInline]
    exclude = ("health_note",)


@admin.register(CaseEvent)
class CaseEventAdmin(_ReadOnly):
    list_display = ("household", "from_status", "to_status", "on", "user")
    list_filter = ("to_status",)
    search_fields = ("household__reference",)


@admin.register(CaseChecklist)
class CaseChecklistAdmin(_ReadOnly):
    list_display = ("household", "housing_unit", "intro_programme", "school", "gp", "updated_at")
    search_fields = ("household__reference",)


@admin.register(SelfSettlement)
class SelfSettlementAdmin(_ReadOnly):
    list_display = ("household", "municipality", "lease_offer_deadline", "rent_nok", "status")
    list_filter = ("status",)
    search_fields = ("household__reference",)
