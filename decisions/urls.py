from django.urls import path

from decisions import history_views, views

urlpatterns = [
    path("besluiten/", views.proposal_matrix, name="proposal_matrix"),
    path("besluiten/nieuw/", views.proposal_create, name="proposal_create"),
    path("besluiten/ondertekenen/", views.my_signatures, name="my_signatures"),
    path("besluiten/vastleggen/", views.my_to_record, name="my_to_record"),
    path("besluiten/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("besluiten/<int:pk>/bewerken/", views.proposal_update, name="proposal_update"),
    path("besluiten/<int:pk>/geschiedenis/", history_views.proposal_history, name="proposal_history"),
    path("besluiten/<int:pk>/stukken/", views.proposal_document_upload, name="proposal_document_upload"),
    path(
        "besluiten/<int:pk>/stukken/<int:document_pk>/",
        views.proposal_document_download,
        name="proposal_document_download",
    ),
    path("besluiten/<int:pk>/<str:action>/", views.proposal_transition, name="proposal_transition"),
    path("collegebesluiten/<int:pk>/voorgenomen/", views.decision_intended, name="decision_intended"),
    path("collegebesluiten/<int:pk>/vastleggen/", views.decision_record, name="decision_record"),
    path("collegebesluiten/<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
    path(
        "collegebesluiten/<int:pk>/voorgenomen.pdf",
        views.decision_pdf,
        {"stage": "intended"},
        name="decision_intended_pdf",
    ),
    path("collegebesluiten/<int:pk>/concept.pdf", views.decision_preview_pdf, name="decision_preview_pdf"),
    path("collegebesluiten/<int:pk>/<str:action>/", views.decision_sign, name="decision_sign"),
    path("raden/", views.council_matrix, name="council_matrix"),
    path("griffie/", views.griffier_dashboard, name="griffier_dashboard"),
    path("raadstrajecten/<int:pk>/", views.council_track_edit, name="council_track_edit"),
    path("gemeenten/<int:pk>/doorlooptijd/", views.lead_time_edit, name="lead_time_edit"),
    path("gemeenten/<int:pk>/raadsinformatiesysteem/", views.council_system_edit, name="council_system_edit"),
    path("vergaderingen/<int:pk>/besluitenlijst.pdf", views.decision_list_pdf, name="decision_list_pdf"),
]
