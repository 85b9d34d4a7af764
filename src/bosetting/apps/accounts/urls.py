from django.urls import path

from bosetting.apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("api-nokler/", views.tokens, name="tokens"),
    path("api-nokler/ny/", views.token_create, name="token_create"),
    path("api-nokler/<int:pk>/trekk-tilbake/", views.token_revoke, name="token_revoke"),
    path("tofaktor/", views.two_factor, name="two_factor"),
    path("tofaktor/start/", views.two_factor_start, name="two_factor_start"),
    path("tofaktor/bekreft/", views.two_factor_confirm, name="two_factor_confirm"),
    path("tofaktor/reservekoder/", views.two_factor_new_codes, name="two_factor_new_codes"),
    path("tofaktor/sla-av/", views.two_factor_remove, name="two_factor_remove"),
    path("tilganger/", views.access, name="access"),
    path("tilganger/bruker/<int:user_id>/", views.access_change, name="access_change"),
    path(
        "tilganger/bruker/<int:user_id>/trekk-tilbake/", views.access_revoke, name="access_revoke"
    ),
    path("tilganger/bruker/<int:user_id>/gi-tilbake/", views.access_restore, name="access_restore"),
    path(
        "tilganger/tildeling/<int:pk>/trekk-tilbake/", views.grant_withdraw, name="grant_withdraw"
    ),
]
