"""Old addresses of renamed sections, tags and authors answer with a 301 to the current one."""

from functools import wraps

from django.http import Http404, HttpResponsePermanentRedirect

from .models import SlugRedirect


def follows_renames(model):
    """Decorate a page view taking `slug` of `model`: a 404 at a renamed slug becomes a 301."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, **kwargs):
            try:
                return view(request, slug, **kwargs)
            except Http404:
                moved = SlugRedirect.objects.filter(kind=model.redirect_kind, old_slug=slug).first()
                target = moved and model.objects.filter(pk=moved.target_id).first()
                if not target:
                    raise
                query = request.META.get("QUERY_STRING")
                return HttpResponsePermanentRedirect(
                    target.get_absolute_url() + (f"?{query}" if query else "")
                )

        return wrapper

    return decorator
