from django.urls import path

from . import views
from .feeds import LatestStoriesFeed

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", LatestStoriesFeed(), name="feed"),
    path("search/", views.search, name="search"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("pages/<slug:slug>/", views.page_detail, name="page"),
    path("<slug:slug>/", views.section_detail, name="section"),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
