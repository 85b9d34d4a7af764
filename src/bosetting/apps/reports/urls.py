from django.urls import path, re_path

from bosetting.apps.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("kart/", views.map_view, name="map"),
    path("tabeller/", views.tables_view, name="tables"),
    path("data/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    re_path(
        r"^maned/(?P<month>\d{4}-\d{2})\.(?P<fmt>pdf|xlsx)$",
        views.monthly_view,
        name="monthly",
    ),
    path("plotly.min.js", views.plotly_js, name="plotly_js"),
]
