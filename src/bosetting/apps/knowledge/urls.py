"""URLs of the knowledge app, mounted under /kunnskap/."""

from django.urls import path

from bosetting.apps.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("sammenlignbare/", views.comparable, name="comparable"),
    path("nytt/", views.create, name="create"),
    path("eksempel/<slug:slug>/", views.detail, name="detail"),
]
