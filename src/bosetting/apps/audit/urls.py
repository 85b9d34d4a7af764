from django.urls import path

from bosetting.apps.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("eksport.csv", views.export_csv, name="export"),
    path("tilgang/", views.access_log, name="access"),
]
