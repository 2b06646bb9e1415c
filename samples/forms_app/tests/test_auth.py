from conftest import allowed


def test_login_page(client):
    response = client.get('/login')
    assert response.status_code == 200
    assert '<input name="username" value="">' in response.get_data(as_text=True)


def test_login_success_redirects(client, flashes):
    response = client.post('/login', data={'username': 'ada', 'password': 'lovelace'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/events/'
    assert flashes(client) == ['Welcome, ada!']
    # logged in: the login page sends you on
    assert client.get('/login').headers['Location'] == '/events/'


def test_login_next(client):
    response = client.post('/login?next=/events/new', data={'username': 'ada', 'password': 'lovelace'})
    assert response.headers['Location'] == '/events/new'
    client.get('/logout')
    response = client.post('/login?next=//evil.example/', data={'username': 'ada', 'password': 'lovelace'})
    assert response.headers['Location'] == '/events/'


def test_login_failure_rerenders(client):
    response = client.post('/login', data={'username': 'ada', 'password': 'nope'})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'Invalid username or password.' in body
    assert 'value="ada"' in body
    with client.session_transaction() as sess:
        assert 'user_id' not in sess


def test_login_head(client):
    response = client.head('/login')
    assert response.status_code == 200
    assert response.get_data() == b''


def test_login_options_and_url_for(client, url_for):
    assert {'GET', 'HEAD', 'POST', 'OPTIONS'} <= allowed(client.options('/login'))
    assert url_for('auth.login') == '/login'
    assert url_for('auth.login', next='/x') == '/login?next=/x'


def test_login_required_redirects_to_login(client):
    response = client.get('/events/new')
    assert response.status_code == 302
    assert response.headers['Location'] == '/login?next=/events/new'


def test_maintenance_lets_only_login_through():
    from forms_app import create_app
    client = create_app({'TESTING': True, 'SECRET_KEY': 'test-secret', 'MAINTENANCE': True}).test_client()
    assert client.get('/events/').status_code == 503
    assert client.get('/login').status_code == 200
    response = client.post('/login', data={'username': 'ada', 'password': 'lovelace'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/events/'
