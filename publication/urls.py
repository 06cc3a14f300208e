from django.urls import path

from publication import public_views, sitemaps, views

urlpatterns = [
    # The acts, for signed-in people.
    path("publicatie/<str:kind>/<int:pk>/publiceren/", views.publish, name="publish"),
    path("publicatie/<str:kind>/<int:pk>/", views.publication_target, name="publication_target"),
    path("publicatie/<int:pk>/intrekken/", views.withdraw, name="publication_withdraw"),
    path("samenwerkingen/<int:pk>/convenant-publiceren/", views.publish_covenant, name="publish_covenant"),
    # The public side.
    path("openbaar/", public_views.home, name="public_home"),
    path("openbaar/samenwerking/<int:pk>/", public_views.cooperation_page, name="public_cooperation"),
    path("openbaar/overleg/<int:pk>/", public_views.body_page, name="public_body"),
    path("openbaar/vergadering/<int:pk>/", public_views.meeting_page, name="public_meeting"),
    path("openbaar/vergadering/<int:pk>/verslag/", public_views.minutes_page, name="public_minutes"),
    path("openbaar/stuk/<int:pk>/", public_views.document_file, name="public_document"),
    path("openbaar/gemeente/<int:pk>/", public_views.municipality_page, name="public_municipality"),
    path("openbaar/collegebesluit/<int:pk>/", public_views.decision_page, name="public_decision"),
    path("openbaar/voorstel/<int:pk>/", public_views.proposal_page, name="public_proposal"),
    path("openbaar/werkprogramma/<int:pk>/", public_views.programme_page, name="public_programme"),
    path("openbaar/publicatie/<int:pk>/", public_views.publication_page, name="public_publication"),
    path("openbaar/publicatie/<int:pk>/pdf/", public_views.publication_file, name="public_publication_file"),
    path("openbaar/toegankelijkheid/", public_views.accessibility, name="public_accessibility"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemaps/woo-<int:number>.xml", sitemaps.sitemap_page, name="sitemap_page"),
]
