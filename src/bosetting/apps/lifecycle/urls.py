from django.urls import path

from bosetting.apps.lifecycle import entry, views

app_name = "lifecycle"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("ny/", entry.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rett/", entry.correct, name="correct"),
    path("<int:pk>/avtale/", entry.make_agreement_letter, name="agreement_letter"),
    path("forslag/<int:pk>/brev/", entry.make_proposal_letter, name="proposal_letter"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/sjekkliste/bolig/", views.choose_unit, name="choose_unit"),
    path("<int:pk>/sjekkliste/<slug:item>/", views.checklist_item, name="checklist_item"),
    path("<int:pk>/onsker/", views.preferences, name="preferences"),
    path("<int:pk>/gjenforening/", views.reunification, name="reunification"),
    path(
        "<int:pk>/gjenforening/ankommet/",
        views.reunification_arrived,
        name="reunification_arrived",
    ),
    path("selvbosetting/", views.submit_self_settlement, name="self_settlement_submit"),
    path(
        "selvbosetting/<int:ss_pk>/avgjor/",
        views.decide_self_settlement,
        name="self_settlement_decide",
    ),
    path("runder/<int:pk>/send/", views.send_round, name="send_round"),
    path("forslag/<int:pk>/aksepter/", views.accept, name="accept"),
    path("forslag/<int:pk>/avsla/", views.decline, name="decline"),
]
