# the catalog index is routed at both '/' and '/books'
CATALOG_URLS = ('/', '/books')


def test_login_success(client, login, flashes):
    response = login()
    assert response.status_code == 302
    assert response.headers['Location'] in CATALOG_URLS
    assert flashes(client) == ['Welcome back, Alice Liddell!']
    with client.session_transaction() as sess:
        assert sess['user_id'] == 1
    # already logged in: the login page bounces back to the catalog
    assert client.get('/login').headers['Location'] in CATALOG_URLS


def test_login_failure(client, login):
    assert client.get('/login').status_code == 200
    response = login(password='wrong')
    assert response.status_code == 200
    assert 'Invalid username or password.' in response.get_data(as_text=True)
    with client.session_transaction() as sess:
        assert 'user_id' not in sess


def test_login_next_parameter(client):
    response = client.post('/login?next=/account/settings',
                           data={'username': 'alice', 'password': 'wonderland'})
    assert response.headers['Location'] == '/account/settings'
    client.get('/logout')
    response = client.post('/login?next=//evil.example.com/',
                           data={'username': 'alice', 'password': 'wonderland'})
    assert response.headers['Location'] in CATALOG_URLS


def test_logout(alice):
    response = alice.get('/logout', follow_redirects=True)
    assert 'You have been logged out.' in response.get_data(as_text=True)
    assert alice.get('/account/settings').status_code == 302


def test_settings_requires_login(client):
    response = client.get('/account/settings')
    assert response.status_code == 302
    assert response.headers['Location'] == '/login?next=/account/settings'


def test_settings_update(alice, store):
    response = alice.post('/account/settings', data={
        'name': 'Alice L.', 'email': 'Alice@Wonderland.example', 'newsletter': 'on'})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'Your settings have been saved.' in body
    assert 'value="alice@wonderland.example"' in body
    user = store.users[1]
    assert (user.name, user.email, user.newsletter) == (
        'Alice L.', 'alice@wonderland.example', True)


def test_settings_validation(alice, store):
    page = alice.get('/account/settings')
    assert page.status_code == 200
    assert 'value="alice@example.com"' in page.get_data(as_text=True)
    response = alice.post('/account/settings', data={'name': '', 'email': 'nope'})
    body = response.get_data(as_text=True)
    assert 'Name is required.' in body
    assert 'Please enter a valid email address.' in body
    assert store.users[1].name == 'Alice Liddell'


def test_settings_duplicate_email(alice, store):
    response = alice.post('/account/settings', data={'name': 'Alice', 'email': 'bob@example.com'})
    assert 'That email address is already in use.' in response.get_data(as_text=True)
    assert store.users[1].email == 'alice@example.com'


def test_export_account(alice):
    alice.post('/cart/add', data={'book_id': 4, 'quantity': 2})
    alice.post('/checkout', data={'address': '1 Rabbit Hole'})
    response = alice.get('/account/export')
    assert response.status_code == 200
    data = response.get_json()
    assert data['user'] == {'id': 1, 'username': 'alice', 'name': 'Alice Liddell',
                            'email': 'alice@example.com', 'is_admin': False,
                            'newsletter': False}
    assert [o['id'] for o in data['orders']] == [1]
    assert data['orders'][0]['total_cents'] == 2297
    assert 'password_hash' not in response.get_data(as_text=True)


def test_export_account_via_session(admin):
    data = admin.get('/account/export').get_json()
    assert data['user']['username'] == 'admin'
    assert data['orders'] == []
