from django.urls import path

from bosetting.apps.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/bekreft/", views.confirm, name="confirm"),
    path("mal/<slug:kind>.csv", views.sample, name="sample"),
]
