"""Plain language on every main page, for every demo role, in bokmål and in English.

What a user would notice, read from the visible text of each page (not the markup):

- a raw code on screen — a snake_case word such as ``health_capacity`` or ``permit_to_notified``
  instead of its label;
- a message in the wrong language — a bokmål page showing the English translation of one of the
  catalogue's messages, or an English page showing a bokmål message the catalogue translates.

The wrong-language check compares the page's text against the catalogue itself
(``locale/en/LC_MESSAGES/django.po``), so it needs no list of words: a message counts when its two
languages differ and it is long enough to be unambiguous (a whole text node equal to it, or three
words or more inside a text node).

The pages: home, the notices, about and the accessibility statement, every menu item of the role, a
matching round (IMDi), a proposed case and a flat. The world gets one round for Bergen, sent, so the
round page, the municipality's incoming proposals and the case page have proposals with explanations.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from bosetting import clock
from bosetting.demo.users import DEMO_USERS
from bosetting.web.context import _nav_items
from tests.web.test_i18n import PO_PATH, _po_entries

pytestmark = pytest.mark.django_db

# A code on screen: lower-case words joined by underscores (``health_high``, ``permit_to_notified``).
RAW_CODE = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
# Text that is not prose: elements whose content is code or data by design.
SKIPPED_ELEMENTS = {
    "script",
    "style",
    "template",
    "code",
    "pre",
    "kbd",
    "samp",
    "textarea",
    "noscript",
}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}  # fmt: skip
LANGUAGES = ("nb", "en")
# Pages left out of the walk (none now; name a page here only with the reason).
NOT_WALKED: set[str] = set()
# The change log shows notes as they were stored, in the language of whoever caused them; only the
# raw-code check applies there.
STORED_TEXT_PAGES = {"/logg/"}


class _VisibleText(HTMLParser):
    """Text nodes a reader sees: outside scripts and styles, outside ``hidden`` elements, outside
    elements in another language than the page (``lang="…"``: the language switcher's names, quotes
    from the report) and outside names that are never translated (``translate="no"``: the product)."""

    def __init__(self, page_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.stack: list[bool] = []  # per open element: is its content skipped?
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = bool(self.stack and self.stack[-1])
        lang = attributes.get("lang")
        if (
            tag in SKIPPED_ELEMENTS
            or "hidden" in attributes
            or attributes.get("translate") == "no"
            or (tag != "html" and lang and not lang.startswith(self.page_language))
        ):
            skipped = True
        if tag in VOID_ELEMENTS:
            return
        self.stack.append(skipped)

    def handle_startendtag(self, tag, attrs):
        return

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS or not self.stack:
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1]:
            return
        text = " ".join(data.split())
        if text:
            self.texts.append(text)


def visible_texts(html: str, language: str) -> list[str]:
    parser = _VisibleText(language)
    parser.feed(html)
    return parser.texts


def _plain(message: str) -> str:
    """A catalogue message as it shows on a page: placeholders and HTML out, spaces normalised."""
    message = re.sub(r"%\(\w+\)[sdif]|%[sd]", "\0", message).replace("%%", "%")
    message = re.sub(r"<[^>]+>", " ", message)
    return " ".join(message.split())


def _catalogue() -> tuple[set[str], set[str]]:
    """(English messages, bokmål messages) that differ between the languages, as they show on a page,
    in fragments between placeholders; fragments that read the same in both languages left out."""
    english: set[str] = set()
    bokmal: set[str] = set()
    for entry in _po_entries(PO_PATH)[1:]:
        msgstr = entry.get("msgstr")
        if not isinstance(msgstr, str) or not msgstr or msgstr == entry["msgid"]:
            continue
        for target, message in ((english, msgstr), (bokmal, entry["msgid"])):
            for fragment in _plain(message).split("\0"):
                fragment = fragment.strip(" .,:;()–-")
                if len(fragment) >= 4 and re.search(r"[A-Za-zÆØÅæøå]{3}", fragment):
                    target.add(fragment)
    both = english & bokmal
    return english - both, bokmal - both


def _foreign(texts: list[str], messages: set[str]) -> list[str]:
    found = []
    long_messages = [m for m in messages if len(m.split()) >= 3]
    for text in texts:
        if text in messages:
            found.append(text)
            continue
        for message in long_messages:
            if message in text:
                found.append(f"{message!r} in {text!r}")
                break
    return found


@pytest.fixture
def bergen_round(demo_world_db):
    """A round for Bergen, run and sent: proposals with explanations on every page that shows them."""
    from bosetting.apps.lifecycle.services import do_send_round
    from bosetting.apps.matching.selectors import proposals_for
    from bosetting.apps.matching.services import do_create_round, do_run_round

    imdi = get_user_model().objects.get(username="imdi.nasjonal")
    rnd = do_create_round(imdi, clock.today(), "greedy", 10.0, ["1201"])
    rnd = do_run_round(rnd.pk)
    assert rnd.status == "done", rnd.error
    do_send_round(imdi, rnd.pk)
    proposal = proposals_for(imdi).filter(round=rnd).select_related("unit").first()
    assert proposal is not None
    return rnd, proposal


def _pages(user, rnd, proposal) -> list[str]:
    pages = [
        reverse("home"),
        reverse("about"),
        reverse("accessibility"),
        reverse("notifications:inbox"),
        reverse("notifications:settings"),
    ]
    pages += [item["url"] for item in _nav_items(user) if item["name"] not in NOT_WALKED]
    username = user.username
    if username.startswith("imdi."):
        pages.append(reverse("matching:round", args=[rnd.pk]))
    if username in ("imdi.nasjonal", "imdi.vest", "kommune.1201"):
        pages.append(reverse("lifecycle:detail", args=[proposal.household_id]))
    if username in ("imdi.nasjonal", "imdi.vest", "kommune.1201", "husbanken.vest"):
        pages.append(reverse("housing:unit_detail", args=[proposal.unit_id]))
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_shows_a_raw_code_or_a_message_in_the_other_language(
    client, bergen_round, language
):
    rnd, proposal = bergen_round
    english, bokmal = _catalogue()
    foreign_messages = english if language == "nb" else bokmal
    problems: list[str] = []
    walked = 0
    for username, *_rest in DEMO_USERS:
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in _pages(user, rnd, proposal):
            response = client.get(url, follow=True)  # a menu entry may open its newest page
            if response.status_code != 200:
                problems.append(f"{username} {url}: status {response.status_code}")
                continue
            walked += 1
            texts = visible_texts(response.content.decode(), language)
            for text in texts:
                for code in RAW_CODE.findall(text):
                    problems.append(f"{username} {language} {url}: raw code {code!r} in {text!r}")
            if url in STORED_TEXT_PAGES:
                continue
            for found in _foreign(texts, foreign_messages):
                problems.append(f"{username} {language} {url}: other language: {found}")
        client.logout()
    assert walked >= 7 * 6, walked
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_checker_sees_a_raw_code_and_a_message_in_the_wrong_language():
    """The page walk's own check, on a page made to fail it (so a green walk means something)."""
    english, bokmal = _catalogue()
    html = (
        '<html lang="nb"><body><p>Grunn: health_capacity</p><p>Log out</p>'
        '<select><option lang="en">English</option></select><script>var a_b = 1;</script>'
        "<p hidden>permit_to_notified</p></body></html>"
    )
    texts = visible_texts(html, "nb")
    assert [c for t in texts for c in RAW_CODE.findall(t)] == ["health_capacity"]
    assert _foreign(texts, english) == ["Log out"]
    assert _foreign(visible_texts('<html lang="en"><p>Logg ut</p></html>', "en"), bokmal) == [
        "Logg ut"
    ]
