from django.urls import path

from bosetting.apps.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/send/", views.send, name="send"),
    path("forslag/<int:pk>/aksepter/", views.accept, name="accept"),
    path("forslag/<int:pk>/avsla/", views.decline, name="decline"),
]
