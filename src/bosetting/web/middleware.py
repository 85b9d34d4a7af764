"""Language: bokmål unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, so a caseworker whose browser happens
to be set to English would get English pages. Our users work in bokmål; English is a choice made with
the language switcher (stored in the language cookie), never a guess from the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
