from tests.publication.conftest import media_root, world  # noqa: F401 (the same region and meeting)
