from django.urls import path

from arrangements import views

urlpatterns = [
    path("regelingen/", views.register, name="arrangement_register"),
    path("regelingen/<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
]
