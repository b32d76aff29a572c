"""The floor page of the page benchmark: the least any real page costs.

It loads the session and the user (the middleware does) and renders a template with a
15 × 8 grid of attendance forms, as a run's attendance matrix would, without asking the
database for anything else. It is served only by the benchmark (`ROOT_URLCONF =
"benchmarks.floor"`: the project's URLs plus this one), never by the application.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from aktiva.urls import urlpatterns as project_urlpatterns

GRID = engines["django"].from_string(
    """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Boden</title></head>
<body><main><h1>{{ request.user.get_full_name|default:request.user.username }}</h1>
<table>{% for row in rows %}<tr><th scope="row">Person {{ row }}</th>
{% for cell in cells %}<td><form method="post" action="/boden/{{ row }}/{{ cell }}/">
{% csrf_token %}{% for value, label in buttons %}
<button type="submit" name="status" value="{{ value }}">{{ label }}</button>{% endfor %}
</form></td>{% endfor %}</tr>{% endfor %}</table></main></body></html>"""
)
BUTTONS = [("present", "anwesend"), ("late", "verspätet"), ("excused", "entschuldigt"),
           ("absent", "unentschuldigt")]  # fmt: skip


def floor(request):
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    context = {"rows": range(15), "cells": range(8), "buttons": BUTTONS}
    return HttpResponse(GRID.render(context, request))


urlpatterns = [path("__boden__/", floor, name="benchmark_floor"), *project_urlpatterns]
