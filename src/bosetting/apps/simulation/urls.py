"""URLs of the simulator, mounted under /simulator/."""

from django.urls import path

from bosetting.apps.simulation import views

app_name = "simulation"

urlpatterns = [
    path("", views.index, name="index"),
    path("sammenlign/", views.compare, name="compare"),
    path("kjoring/<int:pk>/", views.run_detail, name="run"),
    path("kjoring/<int:pk>/status/", views.run_status, name="status"),
]
