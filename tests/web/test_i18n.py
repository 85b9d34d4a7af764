"""English alongside bokmål: the language switcher, pages in both languages, and a catalogue that is
complete and compiled.

The source strings are bokmål; ``src/bosetting/locale/en/LC_MESSAGES/django.po`` holds the English
translations and ``django.mo`` is committed compiled, so a fresh machine needs no GNU gettext.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from tests.clock import on_business_day

import bosetting

LOCALE_DIR = Path(bosetting.__file__).resolve().parent / "locale"
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"
PACKAGE_DIR = LOCALE_DIR.parent
# Code that must not use Django (and so has no web text), and the catalogue itself.
NOT_SCANNED = {"engine", "reference", "locale"}
TRANSLATION_FUNCTIONS = {"gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%")


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def _po_entries(path: Path) -> list[dict]:
    """Every live (non-obsolete) entry of a .po file: msgctxt, msgid, msgid_plural, msgstr (str or a
    dict of plural index -> str) and flags."""
    entries: list[dict] = []
    entry: dict = {}
    field: tuple | None = None

    def close() -> None:
        nonlocal entry, field
        if "msgid" in entry:
            entries.append(entry)
        entry, field = {}, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#"):
            if "msgid" in entry:
                close()
            if line.startswith("#,"):
                entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif match := _KEYWORD.match(line):
            keyword, index, value = match.groups()
            if index is not None:
                entry.setdefault("msgstr", {})[int(index)] = _unquote(value)
                field = ("msgstr", int(index))
            else:
                entry[keyword] = _unquote(value)
                field = (keyword,)
        elif line.startswith('"') and field is not None:
            if len(field) == 2:
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            raise AssertionError(f"{path}: cannot read line {raw!r}")
    close()
    return entries


def _messages(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e["msgid"] != ""]


def _catalog_key(entry: dict) -> str:
    return f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]


# --- the catalogue itself ------------------------------------------------------------------------


def test_english_is_offered_next_to_bokmal():
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _name in settings.LANGUAGES] == ["nb", "en"]
    assert LOCALE_DIR in [Path(p) for p in settings.LOCALE_PATHS]


def test_every_msgid_has_a_non_empty_translation_and_none_is_fuzzy():
    messages = _messages(_po_entries(PO_PATH))
    assert len(messages) > 500  # the whole UI, not a handful of strings
    untranslated = []
    for entry in messages:
        translations = (
            list(entry["msgstr"].values())
            if isinstance(entry["msgstr"], dict)
            else [entry["msgstr"]]
        )
        if "fuzzy" in entry.get("flags", set()) or not all(t.strip() for t in translations):
            untranslated.append(entry["msgid"])
    assert untranslated == []


def test_translations_keep_the_placeholders_of_their_msgid():
    mismatched = []
    for entry in _messages(_po_entries(PO_PATH)):
        if isinstance(entry["msgstr"], dict):
            pairs = [
                (entry["msgid"], entry["msgstr"][0]),
                (entry["msgid_plural"], entry["msgstr"][1]),
            ]
        else:
            pairs = [(entry["msgid"], entry["msgstr"])]
        for source, target in pairs:
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(target)):
                mismatched.append((source, target))
    assert mismatched == []


def test_plural_entries_have_singular_and_plural_in_english():
    header = _po_entries(PO_PATH)[0]
    assert header["msgid"] == ""
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]
    plurals = [e for e in _messages(_po_entries(PO_PATH)) if "msgid_plural" in e]
    assert plurals
    assert all(sorted(e["msgstr"]) == [0, 1] for e in plurals)


def test_committed_mo_is_compiled_from_the_committed_po():
    """Fails when someone edits django.po without running ``compilemessages -l en``."""
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict = {}
    for entry in _messages(_po_entries(PO_PATH)):
        key = _catalog_key(entry)
        if isinstance(entry["msgstr"], dict):
            for index, text in entry["msgstr"].items():
                expected[(key, index)] = text
        else:
            expected[key] = entry["msgstr"]
    compiled_messages = {k: v for k, v in compiled.items() if k != ""}
    missing_or_stale = {k: v for k, v in expected.items() if compiled_messages.get(k) != v}
    extra = sorted(str(k) for k in compiled_messages.keys() - expected.keys())
    assert missing_or_stale == {}, "django.mo is out of date: run compilemessages -l en"
    assert extra == [], "django.mo has strings the .po no longer has: run compilemessages -l en"


def _translated_literals() -> dict[str, str]:
    """Every string literal the Python code passes to a gettext function (under any alias, e.g.
    ``gettext_lazy as _l``, and inside f-strings, which xgettext 0.21 does not look into), with where."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if path.relative_to(PACKAGE_DIR).parts[0] in NOT_SCANNED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
            for alias in node.names
            if alias.name in TRANSLATION_FUNCTIONS
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in aliases
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                where = f"{path.relative_to(PACKAGE_DIR)}:{node.lineno}"
                found.setdefault(node.args[0].value, where)
    return found


def test_every_string_the_python_code_translates_is_in_the_catalogue():
    """makemessages misses strings behind a ``gettext_lazy as _l`` alias or inside an f-string; those
    are kept in django.po by hand (see docs/i18n.md) and this test notices when one goes missing."""
    literals = _translated_literals()
    assert len(literals) > 200
    live = {e["msgid"] for e in _messages(_po_entries(PO_PATH))}
    missing = {msgid: where for msgid, where in literals.items() if msgid not in live}
    assert missing == {}, "add these to django.po (see docs/i18n.md)"


# --- pages in both languages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_bokmal_without_a_preference(client):
    body = client.get("/logg-inn/").content.decode()
    assert 'lang="nb"' in body
    assert "Logg inn" in body and "Brukernavn" in body
    assert "Log in" not in body


@pytest.mark.django_db
def test_login_page_is_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/logg-inn/").content.decode()
    assert 'lang="en"' in body
    assert "Log in" in body and "Username" in body and "Password" in body
    assert "Logg inn" not in body and "Brukernavn" not in body


@pytest.mark.django_db
def test_language_switcher_sets_english_and_back_to_bokmal(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/logg-inn/"})
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get("/logg-inn/").content.decode()

    client.post("/i18n/setlang/", {"language": "nb", "next": "/logg-inn/"})
    assert "Logg inn" in client.get("/logg-inn/").content.decode()


@pytest.mark.django_db
def test_home_page_in_english_for_a_logged_in_municipal_officer(client, municipal_officer):
    client.force_login(municipal_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/").content.decode()
    assert "Your tasks" in body and "Log out" in body and "Change password" in body
    assert "Municipality" in body  # the role, from the model's choices
    assert ">Cases<" in body  # the menu label of the cases app, translated lazily per request
    assert "Dine oppgaver" not in body and "Logg ut" not in body


@pytest.mark.django_db
def test_home_page_stays_bokmal_by_default_for_a_logged_in_user(client, municipal_officer):
    client.force_login(municipal_officer)
    body = client.get("/").content.decode()
    assert "Dine oppgaver" in body and "Logg ut" in body and ">Saker<" in body
    assert "Your tasks" not in body


@pytest.mark.django_db
@on_business_day
def test_municipal_worklist_in_english(client, municipal_officer):
    client.force_login(municipal_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/saker/").content.decode()
    assert "Worklist – the municipality" in body
    assert "Incoming proposals" in body and "Report self-settlement" in body
    assert "Arbeidsliste" not in body and "Innkomne forslag" not in body


@pytest.mark.django_db
@on_business_day
def test_imdi_worklist_in_english_and_in_bokmal(client, imdi_officer):
    client.force_login(imdi_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/saker/"})
    english = client.get("/saker/").content.decode()
    assert "Worklist – settlement-ready" in english and "Settlement-ready in queue" in english
    client.post("/i18n/setlang/", {"language": "nb", "next": "/saker/"})
    bokmal = client.get("/saker/").content.decode()
    assert "Arbeidsliste – bosettingsklare" in bokmal and "Worklist" not in bokmal
