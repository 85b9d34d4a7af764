from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.identity.provider import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("other-jwks", views.other_jwks),
]
