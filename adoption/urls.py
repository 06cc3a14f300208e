from django.urls import path

from adoption import views

urlpatterns = [
    path("adoptie/voorstellen/<int:pk>/", views.adopters_name, name="adopters_name"),
    path("adoptie/<int:pk>/", views.adoption_edit, name="adoption_edit"),
    path("adoptie/<int:pk>/bestanden/", views.adoption_file_upload, name="adoption_file_upload"),
    path("adoptie/<int:pk>/bestanden/<int:file_pk>/", views.adoption_file_download, name="adoption_file_download"),
    path("adoptie/gemeenten/<int:pk>/", views.municipality_adoptions, name="municipality_adoptions"),
]
