"""The account life-cycle: password reset by e-mail, accounts without an office, unused accounts."""

urlpatterns = []
