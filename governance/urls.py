from django.urls import path

from governance import history_views, views

urlpatterns = [
    path("overleggen/<int:pk>/geschiedenis/", history_views.body_history, name="body_history"),
    path("evaluaties/", views.evaluation_list, name="evaluation_list"),
    path("evaluaties/<int:year>/", views.evaluation_list, name="evaluation_list_year"),
    path("evaluaties/bewerken/<int:pk>/", views.evaluation_edit, name="evaluation_edit"),
    path("werkprogramma/", views.programme_list, name="programme_list"),
    path("werkprogramma/nieuw/", views.programme_create, name="programme_create"),
    path("werkprogramma/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("werkprogramma/<int:pk>/regels/", views.programme_entry_add, name="programme_entry_add"),
    path("werkprogramma/regels/<int:pk>/", views.programme_entry_edit, name="programme_entry_edit"),
    path("werkprogramma/<int:pk>/voortgang/<int:task_pk>/", views.progress_edit, name="progress_edit"),
    path("werkprogramma/<int:pk>/<str:kind>.pdf", views.programme_pdf, name="programme_pdf"),
    path("werkprogramma/<int:pk>/<str:action>/", views.programme_transition, name="programme_transition"),
]
