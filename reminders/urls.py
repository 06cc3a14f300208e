from django.urls import path

from reminders import views

urlpatterns = [
    path("", views.home, name="home"),
    path("meldingen/", views.notification_list, name="notification_list"),
    path("meldingen/<int:pk>/gelezen/", views.notification_read, name="notification_read"),
    path("meldingen/alles-gelezen/", views.notifications_all_read, name="notifications_all_read"),
    path("meldingen/voorkeur/", views.delivery_settings, name="delivery_settings"),
    path("werking/", views.operations_status, name="operations_status"),
    path("werking/opnieuw/", views.retry_failed, name="retry_failed"),
]
