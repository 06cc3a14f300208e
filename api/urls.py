from django.urls import path

from api import feeds, views

urlpatterns = [
    path("oparl/v1/", views.system, name="oparl_system"),
    path("oparl/v1/body/", views.bodies, name="oparl_bodies"),
    path("oparl/v1/body/<str:key>/<str:name>/", views.body_list, name="oparl_body_list"),
    path("oparl/v1/organization/<str:key>/meeting/", views.organization_meetings, name="oparl_organization_meetings"),
    path("oparl/v1/<str:kind>/<str:key>/", views.obj, name="oparl_object"),
]

urlpatterns += [
    path("openbaar/overleg/<int:pk>/vergaderingen.ics", feeds.body_feed, name="public_body_feed"),
    path("agenda/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("mijn-agenda/", feeds.my_calendar, name="my_calendar"),
    path("mijn-agenda/vernieuwen/", feeds.renew_calendar, name="renew_calendar"),
]
