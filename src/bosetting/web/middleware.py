"""The project's middleware: the per-request memory, and the language.

Language: bokmål unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, so a caseworker whose browser happens
to be set to English would get English pages. Our users work in bokmål; English is a choice made with
the language switcher (stored in the language cookie), never a guess from the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from bosetting.memo import request_memo


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Activate the language from the language cookie, else ``settings.LANGUAGE_CODE``."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not response.streaming:
            # The thread goes back to the default language, so that whatever runs next in it (a job, a
            # command, another test) does not inherit this user's choice. A streamed body is still
            # being rendered in the chosen language, so it keeps it until the next request.
            translation.deactivate()
        return response


class RequestMemoMiddleware:
    """Open the per-request memory (``bosetting.memo``) around each request: the user's scope and the
    business date are then computed once per request instead of once per question."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_memo():
            return self.get_response(request)
