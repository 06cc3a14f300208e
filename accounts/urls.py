from accounts import lifecycle, oidc, second_factor, sessions

urlpatterns = [*second_factor.urlpatterns, *oidc.urlpatterns, *sessions.urlpatterns, *lifecycle.urlpatterns]
