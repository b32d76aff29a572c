"""A crawl over the demo data, as each demo role and anonymously: every link and every GET
form reachable from the start page (bounded) answers without a server error, shows no other
organization's data, and has a title and a language."""

from collections import deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from aktiva.models import Organization
from participants.models import Participant
from tests.conftest import login
from trainings.models import CourseRun

MAX_PAGES = 250
# POST-only or leaving the application; the admin is crawled only by the platform admin.
SKIP_PREFIXES = ("/konto/abmelden/", "/i18n/", "/static/", "/media/")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, dict]] = []
        self._form: tuple[str, dict] | None = None
        self.title = False
        self.lang = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        elif tag == "title":
            self.title = True
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and attrs.get("method", "get").lower() == "get":
            self._form = (attrs.get("action", ""), {})
        elif tag in ("input", "select") and self._form and attrs.get("name"):
            if attrs.get("type") not in ("submit", "checkbox", "radio") or "checked" in attrs:
                self._form[1][attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form:
            self.forms.append(self._form)
            self._form = None


def _crawl(client: Client, forbidden: list[str], *, admin: bool = False) -> list[str]:
    problems, seen, queue = [], set(), deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIP_PREFIXES):
            continue
        if path.startswith("/admin/") and not admin:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for text in forbidden:
            if text in html:
                problems.append(f"{url}: shows another organization's {text!r}")
        page = _Page()
        page.feed(html)
        if not page.title or not page.lang:
            problems.append(f"{url}: without a title or a language")
        base = response.request["PATH_INFO"]
        targets = [urljoin(base, link) for link in page.links]
        targets += [
            urljoin(base, action or base) + "?" + urlencode(fields) for action, fields in page.forms
        ]
        for target in targets:
            parts = urlsplit(target)
            if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return problems


def _own_data(organization: Organization) -> list[str]:
    return [
        organization.name,
        *CourseRun.objects.filter(organization=organization).values_list("title", flat=True),
        *(str(p) for p in Participant.objects.filter(organization=organization)),
    ]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    dresden = Organization.objects.get(name="Jobcenter Dresden")
    leipzig = Organization.objects.get(name="Jobcenter Leipzig")
    dresden_data, leipzig_data = _own_data(dresden), _own_data(leipzig)
    # what only the other organization has (demo names may repeat across both)
    return {
        "dresden": [t for t in leipzig_data if t not in dresden_data],
        "leipzig": [t for t in dresden_data if t not in leipzig_data],
    }


@pytest.mark.parametrize(
    "username, organization",
    [
        ("koordination", "dresden"),
        ("anna", "dresden"),
        ("jonas", "dresden"),
        ("leipzig", "leipzig"),
        ("admin", None),
        (None, None),
    ],
)
def test_crawl_as_each_demo_role(demo, username, organization):
    client = Client(raise_request_exception=False)  # a 500 is recorded, the crawl goes on
    if username:
        assert login(client, username, "aktiva-demo")
    forbidden = demo[organization] if organization else [*demo["dresden"], *demo["leipzig"]]
    problems = _crawl(client, forbidden, admin=username == "admin")
    assert not problems, "\n".join(problems[:30])
