"""Strings that third-party code shows in our pages but whose own catalogs do not translate
into Simplified Chinese. Listed here so that makemessages keeps them in our catalog, which
Django consults before theirs (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = (
    # Django 6's `BLANK_CHOICE_LABEL`, the empty choice of every required select.
    gettext_noop("- Select an option -"),
)
