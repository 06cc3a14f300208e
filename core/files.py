"""Uploaded files: their checksum, read in chunks so a large file never sits in memory whole."""

import hashlib


def sha256_of(upload) -> str:
    """The SHA-256 of an uploaded file; the file is left at its start for whoever stores it."""
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
