"""The upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bosetting.apps.imports.models import ImportBatch
from bosetting.apps.imports.parsing import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hva filen inneholder"))
    file = forms.FileField(label=_("Fil (.csv eller .xlsx)"))

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ImportBatch.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor (høyst 10 MB)."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Filen må være .csv eller .xlsx."))
        return upload
