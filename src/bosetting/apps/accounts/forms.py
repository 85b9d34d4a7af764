"""Forms of the access pages: a grant before the first login, a change of a user's access."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bosetting.apps.accounts.choices import IdentifierKind, Role
from bosetting.apps.geo.selectors import counties, municipalities, regional_offices

EMPTY = [("", "—")]


class AreaFields(forms.Form):
    """Role and area: IMDi national's forms only (a municipal administrator grants its own
    municipality's municipal access, so the form leaves those fields out)."""

    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)
    office = forms.ChoiceField(label=_("Regionkontor"), required=False)
    municipality = forms.ChoiceField(label=_("Kommune"), required=False)
    county = forms.ChoiceField(label=_("Fylke"), required=False)

    def __init__(self, *args, everyone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not everyone:
            for name in ("role", "office", "municipality", "county"):
                del self.fields[name]
            return
        self.fields["office"].choices = EMPTY + [(o.code, o.name) for o in regional_offices()]
        self.fields["municipality"].choices = EMPTY + [
            (m.number, f"{m.number} {m.name}") for m in municipalities().order_by("number")
        ]
        self.fields["county"].choices = EMPTY + [
            (c.number, f"{c.number} {c.name}") for c in counties()
        ]

    def area(self) -> dict:
        """The service's keyword arguments for role and area (none for a municipal administrator)."""
        data = self.cleaned_data
        if "role" not in data:
            return {}
        return {
            "role": data["role"],
            "office_code": data.get("office") or None,
            "municipality_number": data.get("municipality") or None,
            "county_number": data.get("county") or None,
        }


class GrantForm(AreaFields):
    """Grant a person access before their first login."""

    kind = forms.ChoiceField(label=_("Personen logger inn med"), choices=IdentifierKind.choices)
    identifier = forms.CharField(label=_("Identifikator"), max_length=255)
    full_name = forms.CharField(label=_("Navn"), max_length=200, required=False)
    is_local_admin = forms.BooleanField(
        label=_("Lokal administrator (kan gi tilgang i kommunen)"), required=False
    )

    field_order = ["kind", "identifier", "full_name", "role", "office", "municipality", "county"]


class ChangeForm(AreaFields):
    """Change a user's role and area (IMDi national) or local-administrator flag."""

    is_local_admin = forms.BooleanField(
        label=_("Lokal administrator (kan gi tilgang i kommunen)"), required=False
    )


class CodeForm(forms.Form):
    """A code from the authenticator app."""

    code = forms.CharField(label=_("Kode fra appen"), max_length=40)
