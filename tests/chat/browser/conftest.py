"""Chat browser tests use pytest-playwright's session browser (set up in tests/conftest.py)."""
