from django.urls import path

from . import views
from .cache import public_page
from .feeds import LatestStoriesFeed

app_name = "articles"

# Every page here is public: cacheable by the page cache and by shared caches (articles/cache.py).
urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("feed/", public_page(LatestStoriesFeed()), name="feed"),
    path("search/", public_page(views.search), name="search"),
    path("tag/<slug:slug>/", public_page(views.tag_detail), name="tag"),
    path("author/<slug:slug>/", public_page(views.author_detail), name="author"),
    path("pages/<slug:slug>/", public_page(views.page_detail), name="page"),
    path("<slug:slug>/", public_page(views.section_detail), name="section"),
    path("<slug:section>/<slug:slug>/", public_page(views.article_detail), name="detail"),
]
