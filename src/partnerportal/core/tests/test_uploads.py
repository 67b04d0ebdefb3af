"""The one upload path: what the bytes are decides, never the name."""

import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from partnerportal.core.uploads import UploadPolicy, ValidatedFileField, validate_upload

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# The first bytes of a Windows executable and of a Linux ELF binary.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color=(200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color=(30, 200, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def test_pdf_is_accepted():
    detected = validate_upload(upload("bericht.pdf", PDF), policy=UploadPolicy())
    assert (detected.kind, detected.mime, detected.extension) == ("pdf", "application/pdf", "pdf")
    assert detected.size == len(PDF)


def test_png_made_with_pillow_is_accepted():
    detected = validate_upload(upload("Foto.PNG", png_bytes()), policy=UploadPolicy())
    assert detected.kind == "png"
    assert detected.mime == "image/png"


def test_jpeg_with_either_extension():
    for name in ("foto.jpg", "foto.jpeg"):
        assert validate_upload(upload(name, jpeg_bytes()), policy=UploadPolicy()).kind == "jpeg"


def test_docx_is_detected_from_the_zip_contents():
    detected = validate_upload(upload("antrag.docx", docx_bytes()), policy=UploadPolicy())
    assert detected.kind == "docx"


def test_csv_is_utf8_text():
    content = "Gemeinde;Land\nMusterstadt;Deutschland\nKöln;Deutschland\n".encode()
    assert validate_upload(upload("liste.csv", content), policy=UploadPolicy()).kind == "csv"


@pytest.mark.parametrize("content", [EXE, ELF], ids=["exe", "elf"])
def test_executable_renamed_to_pdf_is_rejected(content):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("bericht.pdf", content), policy=UploadPolicy())
    assert excinfo.value.code == "unsupported"


def test_png_named_pdf_is_rejected_because_the_extension_disagrees():
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("bericht.pdf", png_bytes()), policy=UploadPolicy())
    assert excinfo.value.code == "extension_mismatch"
    assert ".png" in excinfo.value.messages[0]


def test_csv_with_nul_bytes_or_bad_encoding_is_rejected():
    for content in (b"a;b\x00\nc;d\n", "Köln;Deutschland\n".encode("latin-1")):
        with pytest.raises(ValidationError) as excinfo:
            validate_upload(upload("liste.csv", content), policy=UploadPolicy())
        assert excinfo.value.code == "unsupported"


def test_text_named_pdf_is_rejected():
    with pytest.raises(ValidationError):
        validate_upload(upload("bericht.pdf", b"just some text"), policy=UploadPolicy())


def test_kind_outside_the_policy_is_rejected():
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("bericht.pdf", PDF), policy=UploadPolicy(kinds=("png", "jpeg")))
    assert excinfo.value.code == "unsupported"
    assert "png, jpg, jpeg" in excinfo.value.messages[0]


def test_oversized_file_is_rejected():
    content = PDF + b"%" * 2048
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("bericht.pdf", content), policy=UploadPolicy(max_bytes=1024))
    assert excinfo.value.code == "too_large"


@override_settings(PARTNERPORTAL_UPLOAD_MAX_BYTES=100)
def test_size_limit_defaults_to_the_setting():
    assert UploadPolicy().max_bytes == 100
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("bericht.pdf", PDF), policy=UploadPolicy())
    assert excinfo.value.code == "too_large"


def test_empty_file_is_rejected():
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("leer.pdf", b""), policy=UploadPolicy())
    assert excinfo.value.code == "empty"


def test_unknown_kind_in_policy_is_a_programming_error():
    with pytest.raises(ValueError, match="exe"):
        UploadPolicy(kinds=("pdf", "exe"))


def test_messages_are_translated():
    from django.utils import translation

    with translation.override("de"):
        with pytest.raises(ValidationError) as excinfo:
            validate_upload(upload("leer.pdf", b""), policy=UploadPolicy())
        # Messages are lazy: read them while German is active.
        assert excinfo.value.messages == ["Die Datei ist leer."]


class ReportForm(forms.Form):
    report = ValidatedFileField(policy=UploadPolicy(kinds=("pdf",)))


def test_form_field_accepts_and_annotates_the_detected_type():
    form = ReportForm(data={}, files={"report": upload("bericht.pdf", PDF)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["report"].detected_type.kind == "pdf"


def test_form_field_rejects_a_disguised_executable():
    form = ReportForm(data={}, files={"report": upload("bericht.pdf", EXE)})
    assert not form.is_valid()
    assert form.errors["report"]


def test_form_field_widget_hints_the_accepted_extensions():
    assert 'accept=".pdf"' in str(ReportForm()["report"])
