from django.urls import path

from covenant import views

urlpatterns = [
    path("convenant/<int:pk>/", views.covenant_detail, name="covenant_detail"),
    path("convenant/<int:pk>/toetreding/", views.accession_request, name="accession_request"),
    path("convenant/<int:pk>/opzegging/", views.leaving_notice, name="leaving_notice"),
    path("convenant/<int:pk>/evaluaties/<int:evaluation_pk>/", views.evaluation_report, name="evaluation_report"),
    path("convenant/<int:pk>/documenten/", views.covenant_document_upload, name="covenant_document_upload"),
    path(
        "convenant/<int:pk>/documenten/<int:document_pk>/",
        views.covenant_document_download,
        name="covenant_document_download",
    ),
]
