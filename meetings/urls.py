from django.urls import path

from meetings import views

urlpatterns = [
    path("overleggen/", views.body_list, name="body_list"),
    path("overleggen/<int:pk>/", views.body_detail, name="body_detail"),
    path("overleggen/<int:pk>/vergaderingen/nieuw/", views.meeting_create, name="meeting_create"),
    path("overleggen/<int:pk>/vergaderingen/reeks/", views.meeting_series_create, name="meeting_series_create"),
    path("vergaderingen/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("vergaderingen/<int:pk>/bewerken/", views.meeting_update, name="meeting_update"),
    path("vergaderingen/<int:pk>/agenda/", views.agenda_builder, name="meeting_agenda"),
    path("vergaderingen/<int:pk>/agenda/punten/", views.item_create, name="item_create"),
    path("vergaderingen/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("vergaderingen/<int:pk>/uitnodigingen/", views.invitation_list, name="invitation_list"),
    path(
        "vergaderingen/<int:pk>/<str:action>/",
        views.meeting_transition,
        name="meeting_transition",
    ),
    path("agendapunten/<int:pk>/bewerken/", views.item_update, name="item_update"),
    path("agendapunten/<int:pk>/verplaatsen/", views.item_move, name="item_move"),
    path("agendapunten/<int:pk>/verwijderen/", views.item_remove, name="item_remove"),
    path("agendapunten/<int:pk>/doorsturen/", views.item_forward, name="item_forward"),
    path("agendapunten/<int:pk>/stukken/", views.document_upload, name="document_upload"),
    path("stukken/<int:pk>/nieuwe-versie/", views.document_replace, name="document_replace"),
    path("stukken/versies/<int:pk>/", views.document_download, name="document_download"),
    path("indienen/", views.submission_create, name="submission_create"),
    path("mijn-inzendingen/", views.my_submissions, name="my_submissions"),
    path("inzendingen/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("inzendingen/<int:pk>/<str:action>/", views.submission_triage, name="submission_triage"),
    path("triage/", views.triage_inbox, name="triage_inbox"),
    path("mijn-werk/", views.my_work, name="my_work"),
    path("mijn-uitnodigingen/", views.my_invitations, name="my_invitations"),
]
