"""Sign-in protection (django-axes): too many failed sign-ins lock a user name or an address out.

Axes has one failure limit; the newsroom wants two, SIGNIN_FAILURES_PER_NAME for one user name
and SIGNIN_FAILURES_PER_ADDRESS for one client address, both counted over AXES_COOLOFF_TIME.
SignInHandler counts each and reports a lockout when either reaches its limit. The client
address is REMOTE_ADDR as newsroom.middleware.ClientAddressMiddleware leaves it: the reader's
own behind TRUSTED_PROXIES, never a forwarded header from anyone else.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class SignInHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        by_name, by_address = (
            attempts.aggregate(count=Sum("failures_since_start"))["count"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_name >= settings.SIGNIN_FAILURES_PER_NAME:
            return max(by_address, settings.AXES_FAILURE_LIMIT)
        return by_address


class SignInBackend(AxesStandaloneBackend):
    """Checks web sign-ins only: code that authenticates without a request (the test client's
    login, a shell) has no address to count and is not a guessing attacker."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request):
    return request.META.get("REMOTE_ADDR")
