"""URLs of the coordination app, mounted under /samordning/."""

from django.urls import path

from bosetting.apps.coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.index, name="index"),
    path("regioner/", views.regions, name="regions"),
    path("satsinger/", views.programmes, name="programmes"),
    path("par/<slug:slug>/", views.pair_detail, name="pair"),
    path("kommune/", views.municipality_picker, name="municipality_picker"),
    path("kommune/<str:number>/", views.municipality, name="municipality"),
    path("kommune/<str:number>/rapport/", views.joint_report, name="joint_report"),
]
