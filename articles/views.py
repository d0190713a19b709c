from django.http import Http404


def _placeholder(request, **kwargs):
    raise Http404


home = tag_detail = author_detail = page_detail = section_detail = article_detail = _placeholder
