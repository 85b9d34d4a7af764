from django.urls import path

from bosetting.apps.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("alle-lest/", views.mark_all_read, name="mark_all_read"),
    path("innstillinger/", views.settings_page, name="settings"),
    path("<int:pk>/", views.open_notice, name="open"),
    path("<int:pk>/lest/", views.mark_read, name="mark_read"),
]
