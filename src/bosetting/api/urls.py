from django.urls import path

from bosetting.api.core import api

urlpatterns = [path("", api.urls)]
