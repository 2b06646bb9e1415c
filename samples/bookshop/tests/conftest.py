import os
import sys

import pytest

# Make the sample importable even when pytest is started outside this folder
# (pytest.ini's ``pythonpath = .`` covers the normal case).
SAMPLE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SAMPLE_ROOT not in sys.path:
    sys.path.insert(0, SAMPLE_ROOT)

from bookshop import create_app  # noqa: E402


@pytest.fixture
def app():
    return create_app({'TESTING': True, 'SECRET_KEY': 'test-secret'})


@pytest.fixture
def store(app):
    return app.extensions['bookshop.store']


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    def do_login(username='alice', password='wonderland'):
        return client.post('/login', data={'username': username, 'password': password})
    return do_login


@pytest.fixture
def alice(client, login):
    """A client logged in as alice through the real login form."""
    response = login()
    assert response.status_code == 302
    return client


@pytest.fixture
def admin(client):
    """A client logged in as the admin by writing the session directly."""
    with client.session_transaction() as sess:
        sess['user_id'] = 3
    return client


@pytest.fixture
def flashes():
    """Flashed messages still waiting in the client's session."""
    def read(client):
        with client.session_transaction() as sess:
            return [message for _category, message in sess.get('_flashes', [])]
    return read
