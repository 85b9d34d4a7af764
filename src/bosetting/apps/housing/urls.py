from django.urls import path

from bosetting.apps.housing import views

app_name = "housing"

urlpatterns = [
    path("", views.unit_list, name="units"),
    path("ny/", views.unit_create, name="unit_create"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/kontrakt/", views.lease_create, name="lease_create"),
    path("kontrakt/<int:pk>/utfall/", views.lease_outcome, name="lease_outcome"),
    path("boliggap/", views.gap, name="gap"),
    path("gjennomstromning/", views.turnover, name="turnover"),
    path("karriere/<int:household_pk>/", views.career, name="career"),
    path("karriere/<int:household_pk>/trinn/", views.career_step, name="career_step"),
    path("plotly.min.js", views.plotly_js, name="plotly_js"),
]
