"""The login pages, mounted at the site's root (``web/urls.py``): the password page (also the admin's
login, so that it has the same second step and throttling), the second step, and the identity
provider's start and callback."""

from django.urls import path

from bosetting.apps.accounts import login, oidc

urlpatterns = [
    path("logg-inn/", login.LoginView.as_view(), name="login"),
    path("logg-inn/kode/", login.login_code, name="login_code"),
    path("logg-inn/tofaktor/", login.login_enrol, name="login_enrol"),
    path("logg-inn/ingen-tilgang/", login.no_access, name="login_no_access"),
    path("logg-inn/oidc/", oidc.OidcLoginView.as_view(), name="oidc_authentication_init"),
    path(
        "logg-inn/oidc/svar/", oidc.OidcCallbackView.as_view(), name="oidc_authentication_callback"
    ),
    path("admin/login/", login.LoginView.as_view(), name="admin_login"),
]
