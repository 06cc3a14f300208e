"""Sessions: idle time-out, absolute lifetime, and the page where a person sees and ends their sessions."""

urlpatterns = []
