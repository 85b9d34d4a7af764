from django.urls import path

from bosetting.apps.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/sjekkliste/", views.checklist, name="checklist"),
    path("<int:pk>/gjenforening/", views.reunification, name="reunification"),
    path("selvbosetting/", views.submit_self_settlement, name="self_settlement_submit"),
    path(
        "selvbosetting/<int:ss_pk>/avgjor/",
        views.decide_self_settlement,
        name="self_settlement_decide",
    ),
]
