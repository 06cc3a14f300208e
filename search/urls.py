from django.urls import path

from search import views

urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("openbaar/zoeken/", views.public_search, name="public_search"),
]
