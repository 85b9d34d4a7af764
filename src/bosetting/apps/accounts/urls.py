from django.urls import path

from bosetting.apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("api-nokler/", views.tokens, name="tokens"),
    path("api-nokler/ny/", views.token_create, name="token_create"),
    path("api-nokler/<int:pk>/trekk-tilbake/", views.token_revoke, name="token_revoke"),
]
