from django.urls import path

from bosetting.apps.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("<int:pk>/", views.round_detail, name="round"),
]
