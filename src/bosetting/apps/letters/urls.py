from django.urls import path

from bosetting.apps.letters import views

app_name = "letters"
urlpatterns = [path("<int:pk>.pdf", views.download, name="download")]
