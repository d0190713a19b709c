"""The admin's image form: the upload goes through the same checks as every other upload."""

from django import forms

from .images import ImageUploadField
from .models import Image


class ImageForm(forms.ModelForm):
    storage_error = None  # set by ImageAdmin when the storage refused the last write of this form

    file = ImageUploadField(
        label=Image._meta.get_field("file").verbose_name.capitalize(),
        help_text=Image._meta.get_field("file").help_text,
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "focal_x", "focal_y"]

    def clean(self):
        cleaned_data = super().clean()
        if self.storage_error:
            raise forms.ValidationError(self.storage_error)
        return cleaned_data
