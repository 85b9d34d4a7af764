from django.contrib import admin

from bosetting.apps.planning.models import (
    CouncilDecision,
    NationalNeed,
    ReportedSettlement,
    SettlementRequest,
)


@admin.register(NationalNeed)
class NationalNeedAdmin(admin.ModelAdmin):
    list_display = ("year", "persons", "source")


@admin.register(SettlementRequest)
class SettlementRequestAdmin(admin.ModelAdmin):
    list_display = ("municipality", "year", "persons", "uam_persons", "supplementary", "provenance")
    list_filter = ("year", "provenance", "supplementary")
    search_fields = ("municipality__name", "municipality__number")


@admin.register(CouncilDecision)
class CouncilDecisionAdmin(admin.ModelAdmin):
    list_display = ("municipality", "year", "persons", "uam_persons", "decided_on", "provenance")
    list_filter = ("year", "provenance")
    search_fields = ("municipality__name", "municipality__number")


@admin.register(ReportedSettlement)
class ReportedSettlementAdmin(admin.ModelAdmin):
    list_display = ("municipality", "year", "persons", "status")
    list_filter = ("year",)
