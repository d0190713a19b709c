from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from newsletter.box import promo, signup_box
from newsletter.models import Newsletter

from .models import Article, ArticleAuthor, Author, Page, Section, Tag, TaggedStory
from .redirects import follows_renames
from .search import capped as search_capped
from .search import clean_query

PER_PAGE = 12
HOME_SECONDARY = 2
HOME_LATEST = 4
HOME_PER_SECTION = 4
RELATED_COUNT = 4


def paginate(request, queryset, per_page=PER_PAGE, count=None):
    """The requested page of `queryset`; a malformed or out-of-range ?page= is a 404.

    `count`: the number of stories when it can be read more cheaply than by counting `queryset`.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(_("There is no such page.")) from exc


def home(request):
    top, section_blocks = Article.objects.published().front_page(
        1 + HOME_SECONDARY + HOME_LATEST, HOME_PER_SECTION
    )
    lead = top[0] if top else None
    secondary, latest = top[1 : 1 + HOME_SECONDARY], top[1 + HOME_SECONDARY :]
    return render(
        request,
        "articles/home.html",
        {
            "lead": lead,
            "secondary": secondary,
            "latest": latest,
            "section_blocks": section_blocks,
            "newsletter_promo": promo(),
        },
    )


@follows_renames(Section)
def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page_obj = paginate(request, Article.objects.published().for_cards().in_section(section))
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page_obj": page_obj, "current_section_slug": section.slug},
    )


@follows_renames(Tag)
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page_obj = paginate(
        request, Article.objects.published().for_cards().tagged(tag), count=TaggedStory.count_public(tag)
    )
    return render(request, "articles/tag_detail.html", {"tag": tag, "page_obj": page_obj})


@follows_renames(Author)
def author_detail(request, slug):
    author = get_object_or_404(
        Author.objects.select_related("photo").prefetch_related("photo__renditions"), slug=slug
    )
    page_obj = paginate(
        request,
        Article.objects.published().for_cards().by_author(author),
        count=ArticleAuthor.count_public(author),
    )
    return render(request, "articles/author_detail.html", {"author": author, "page_obj": page_obj})


def page_detail(request, slug):
    page = get_object_or_404(Page, slug=slug)
    return render(request, "articles/page_detail.html", {"page": page})


def search(request):
    """Full-text search of public stories, best match first (articles/search.py)."""
    query = clean_query(request.GET.get("q", ""))
    page_obj = None
    if query:
        page_obj = paginate(request, Article.objects.published().for_cards().search(query))
    capped = page_obj is not None and search_capped(page_obj.paginator.count)
    return render(request, "articles/search.html", {"query": query, "page_obj": page_obj, "capped": capped})


def article_detail(request, section, slug):
    stories = Article.objects.visible_to(request.user)
    article = stories.for_detail().filter(slug=slug).first()
    if article is None or article.section.slug != section:
        # An old address of a story whose slug or section changed, or the wrong section's address.
        target = stories.moved_from(section, slug).first() or article
        if target is None:
            raise Http404(_("No story found at this address."))
        return redirect(target, permanent=True)

    keep_reading, more_in_section = Article.objects.published().reading_lists(article, RELATED_COUNT)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "is_preview": not article.is_public,
            "keep_reading": keep_reading,
            "more_in_section": more_in_section,
            "newsletter_box": signup_box(request, Newsletter.objects.for_section(article.section_id)),
        },
    )
    if not article.is_public:
        # A draft or scheduled story seen by its editors: never cached, never indexed.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response
