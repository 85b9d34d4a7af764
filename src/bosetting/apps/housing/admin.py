from django.contrib import admin

from bosetting.apps.housing.models import HousingCareerStep, HousingUnit, Lease


@admin.register(HousingUnit)
class HousingUnitAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "municipality",
        "kind",
        "bedrooms",
        "max_occupants",
        "available_from",
        "rent_nok",
    )
    list_filter = ("kind", "accessible", "flag_damp_mould", "flag_unsuitable_children", "synthetic")
    search_fields = ("code", "municipality__name", "municipality__number")
    raw_id_fields = ("municipality",)


@admin.register(Lease)
class LeaseAdmin(admin.ModelAdmin):
    list_display = ("unit", "household", "start", "end", "outcome")
    list_filter = ("outcome", "synthetic")
    raw_id_fields = ("unit", "household")


@admin.register(HousingCareerStep)
class HousingCareerStepAdmin(admin.ModelAdmin):
    list_display = ("household", "on", "tenure", "start_loan")
    list_filter = ("tenure", "start_loan")
    raw_id_fields = ("household", "unit", "lease", "municipality")
