from django.urls import path

from arrangements import cycle_views, views

urlpatterns = [
    path("regelingen/", views.register, name="arrangement_register"),
    path("regelingen/<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
    path("regelingen/<int:pk>/stukken/nieuw/", cycle_views.cycle_document_create, name="cycle_document_create"),
    path("regelingen/<int:pk>/stukken/jaar/", cycle_views.cycle_plan_year, name="cycle_plan_year"),
    path("regelingen/kalender/", cycle_views.cycle_calendar, name="cycle_calendar"),
    path("regelingen/stukken/<int:pk>/", cycle_views.cycle_document_detail, name="cycle_document_detail"),
    path("regelingen/stukken/<int:pk>/bewerken/", cycle_views.cycle_document_edit, name="cycle_document_edit"),
    path("regelingen/stukken/<int:pk>/ronde/", cycle_views.cycle_round_open, name="cycle_round_open"),
    path("regelingen/stukken/<int:pk>/model/", cycle_views.cycle_model_edit, name="cycle_model_edit"),
    path("regelingen/stukken/<int:pk>/reactie/", cycle_views.cycle_reaction, name="cycle_reaction"),
    path("regelingen/stukken/<int:pk>/zienswijzen.pdf", cycle_views.cycle_overview_pdf, name="cycle_overview_pdf"),
    path("regelingen/stukken/<int:pk>/bestanden/", cycle_views.cycle_file_upload, name="cycle_file_upload"),
    path(
        "regelingen/stukken/<int:pk>/bestanden/<int:file_pk>/",
        cycle_views.cycle_file_download,
        name="cycle_file_download",
    ),
]
