from django.contrib import admin

from bosetting.apps.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "office", "municipality", "county")
    list_filter = ("role",)
