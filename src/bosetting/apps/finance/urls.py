from django.urls import path

from bosetting.apps.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("integreringstilskudd/", views.grants, name="grants"),
    path("husbanken/", views.instruments, name="instruments"),
    path("bostotte/", views.allowance, name="allowance"),
    path("prognose/", views.projection, name="projection"),
    path("startlan/", views.candidates, name="candidates"),
    path("husholdning/<int:household_pk>/", views.economy, name="economy"),
]
