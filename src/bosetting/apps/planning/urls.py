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
    path("plan/", views.plans, name="plans"),
    path("plan/ny/", views.plan_new, name="plan_new"),
    path("plan/<int:year>/", views.plan_detail, name="plan"),
    path("plan/<int:year>/endre/", views.plan_edit, name="plan_edit"),
    path("plan/<int:year>/oppfolging/", views.plan_follow_up, name="plan_follow_up"),
    path("plan/<int:year>/fordel-differansen/", views.plan_balance, name="plan_balance"),
    path("plan/<int:year>/godkjenn/", views.plan_approve, name="plan_approve"),
    path("plan/kommune/<int:pk>/juster/", views.allocation_adjust, name="allocation_adjust"),
    path("plan/kommune/<int:pk>/kvalitet/", views.allocation_quality, name="allocation_quality"),
    path("anmodninger/<int:pk>/brev/", views.request_letter, name="request_letter"),
]
