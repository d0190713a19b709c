from django.urls import path

from . import feeds, preview, views
from .cache import public_page

app_name = "articles"

# Every page here is public: cacheable by the page cache and by shared caches (articles/cache.py).
urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("feed/", public_page(feeds.LatestStoriesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestStoriesAtom()), name="feed_atom"),
    path("feed/section/<slug:slug>/", public_page(feeds.SectionFeed()), name="section_feed"),
    path("feed/section/<slug:slug>/atom/", public_page(feeds.SectionAtom()), name="section_feed_atom"),
    path("feed/tag/<slug:slug>/", public_page(feeds.TagFeed()), name="tag_feed"),
    path("feed/tag/<slug:slug>/atom/", public_page(feeds.TagAtom()), name="tag_feed_atom"),
    path("feed/author/<slug:slug>/", public_page(feeds.AuthorFeed()), name="author_feed"),
    path("feed/author/<slug:slug>/atom/", public_page(feeds.AuthorAtom()), name="author_feed_atom"),
    path("search/", public_page(views.search), name="search"),
    path("tag/<slug:slug>/", public_page(views.tag_detail), name="tag"),
    path("author/<slug:slug>/", public_page(views.author_detail), name="author"),
    path("pages/<slug:slug>/", public_page(views.page_detail), name="page"),
    # A story before publication, for someone without an account: never cached (articles/preview.py).
    path("preview/<str:token>/", preview.preview, name="preview"),
    path("<slug:slug>/", public_page(views.section_detail), name="section"),
    path("<slug:section>/<slug:slug>/", public_page(views.article_detail), name="detail"),
]
