from django.contrib import admin

from bosetting.apps.finance.models import HouseholdEconomy


@admin.register(HouseholdEconomy)
class HouseholdEconomyAdmin(admin.ModelAdmin):
    """Sensitive: visible to superusers only through the admin."""

    list_display = ("household", "has_work_income", "can_service_loan", "updated_on")
    list_filter = ("has_work_income", "synthetic")
    raw_id_fields = ("household",)
