from django.urls import path

from bosetting.apps.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.index, name="index"),
    path("vedtak/ny/", views.decision_new, name="decision_new"),
    path("vedtak/<int:pk>/endre/", views.decision_edit, name="decision_edit"),
    path("anmodninger/ny/", views.request_new, name="request_new"),
    path("anmodninger/<int:pk>/", views.request_detail, name="request"),
    path("anmodninger/<int:pk>/endre/", views.request_edit, name="request_edit"),
    path("anmodninger/<int:pk>/brev/", views.request_letter, name="request_letter"),
]
