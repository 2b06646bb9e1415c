import os
import sys

import pytest

# Make the sample importable even when pytest is started outside this folder
# (pytest.ini's ``pythonpath = .`` covers the normal case).
SAMPLE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SAMPLE_ROOT not in sys.path:
    sys.path.insert(0, SAMPLE_ROOT)

from tracker import create_app  # noqa: E402


@pytest.fixture
def app():
    return create_app({'TESTING': True})


@pytest.fixture
def store(app):
    return app.extensions['tracker.store']


@pytest.fixture
def client(app):
    return app.test_client()


def json_error(response, status, body):
    """The response is exactly ``status`` with this JSON body."""
    assert response.status_code == status, response.data
    assert response.mimetype == 'application/json'
    assert response.get_json() == body
    return response


def html_error(response, status, text):
    """The response is werkzeug's HTML error page for ``status`` showing ``text``."""
    assert response.status_code == status, response.data
    assert response.mimetype == 'text/html'
    assert text in response.get_data(as_text=True)
    return response
