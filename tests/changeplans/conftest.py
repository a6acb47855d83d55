# The shared browser fixtures (tests/browser/conftest.py), for the change plan journey here.
from tests.browser.conftest import browser, page  # noqa: F401
