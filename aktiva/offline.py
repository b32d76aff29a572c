"""The service worker that keeps the attendance page usable without a connection
(static/js/sw.js). It is served from the site's root, not from /static/: a worker only
controls pages below the folder it is served from, and static files may live on another
path (or host) in production."""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.views.decorators.http import require_GET


def _source() -> bytes:
    found = finders.find("js/sw.js")
    if found:
        with open(found, "rb") as source:
            return source.read()
    with staticfiles_storage.open("js/sw.js") as source:  # after collectstatic only
        return source.read()


@require_GET
def service_worker(request):
    response = HttpResponse(_source(), content_type="text/javascript; charset=utf-8")
    # the browser checks for a new worker on each visit: never a stale copy
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
