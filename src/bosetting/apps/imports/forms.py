"""The upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bosetting.apps.imports import parsing
from bosetting.apps.imports.models import ImportBatch


class UploadForm(forms.Form):
    """Kind and file. The file is refused here when a check that costs nothing finds it over a
    limit (size, name; for XLSX the unpacked size and the declared dimension, from the zip
    directory and the sheet's first kilobytes); its rows are read by the background job."""

    kind = forms.ChoiceField(label=_("Hva filen inneholder"))
    file = forms.FileField(label=_("Fil (.csv eller .xlsx)"))

    def __init__(self, *args, kinds: list[str], limits: parsing.Limits, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ImportBatch.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
        self.limits = limits
        self.content = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Filen må være .csv eller .xlsx."))
        if upload.size > self.limits.max_bytes:
            raise forms.ValidationError(str(parsing.too_big(upload.size, self.limits)))
        content = upload.read()
        try:
            parsing.inspect(content, upload.name, self.limits, deep=False)
        except parsing.FileError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.content = content
        return upload
