import os
import sys

import pytest

SAMPLE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SAMPLE_ROOT not in sys.path:
    sys.path.insert(0, SAMPLE_ROOT)

from forms_app import create_app  # noqa: E402


@pytest.fixture
def app():
    return create_app({'TESTING': True, 'SECRET_KEY': 'test-secret'})


@pytest.fixture
def store(app):
    return app.extensions['forms_app.store']


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(client):
    """Logged in as ada (an admin) through the real login form."""
    response = client.post('/login', data={'username': 'ada', 'password': 'lovelace'})
    assert response.status_code == 302
    return client


@pytest.fixture
def bob(client):
    with client.session_transaction() as sess:
        sess['user_id'] = 2
    return client


@pytest.fixture
def flashes():
    def read(client):
        with client.session_transaction() as sess:
            return [message for _category, message in sess.get('_flashes', [])]
    return read


@pytest.fixture
def url_for(app):
    """url_for outside a request, as templates and redirects build URLs."""
    import flask

    def build(endpoint, **values):
        with app.test_request_context():
            return flask.url_for(endpoint, **values)
    return build


def allowed(response):
    return set(response.headers['Allow'].split(', '))
