"""The admin's front page answers the newsroom's daily questions at a glance.

Waiting for review, scheduled in the next 24 hours (with their times), recently published, and the
user's own unpublished stories, above the usual list of models. Installed as Django's default
admin site (NewsroomAdminConfig in INSTALLED_APPS), so every `admin.site.register` lands here.
"""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils import timezone

DASHBOARD_LENGTH = 10
SCHEDULED_WINDOW = timedelta(hours=24)


def dashboard(user):
    """The four lists of the admin index for `user`, or nothing if they may not see stories."""
    from .models import Article

    if not user.has_perm("articles.view_article"):
        return {}
    stories = Article.objects.select_related("section")
    now = timezone.now()
    return {
        "waiting_for_review": stories.in_review()[:DASHBOARD_LENGTH],
        "scheduled_soon": stories.scheduled()
        .filter(published_at__lte=now + SCHEDULED_WINDOW)
        .order_by("published_at")[:DASHBOARD_LENGTH],
        "recently_published": stories.published().newest_first()[:DASHBOARD_LENGTH],
        "my_drafts": stories.owned_by(user)
        .exclude(status=Article.Status.PUBLISHED)
        .order_by("-updated_at")[:DASHBOARD_LENGTH],
        "show_dashboard": True,
    }


class NewsroomAdminSite(admin.AdminSite):
    index_template = "admin/newsroom_index.html"

    def index(self, request, extra_context=None):
        return super().index(request, {**dashboard(request.user), **(extra_context or {})})


class NewsroomAdminConfig(AdminConfig):
    default_site = "articles.dashboard.NewsroomAdminSite"
