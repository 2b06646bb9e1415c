def test_users_page_and_add(admin, store):
    assert 'ada' in admin.get('/admin/users').get_data(as_text=True)
    response = admin.post('/admin/users', data={'username': 'cy', 'password': 'pw'})
    assert response.status_code == 302
    assert store.find_user('cy') is not None
    assert admin.post('/admin/users', data={'username': 'cy'}).status_code == 200


def test_users_post_needs_admin(bob):
    assert bob.post('/admin/users', data={'username': 'cy'}).status_code == 403


def test_audit(client, store):
    store.messages.append(('general', 'hello'))
    assert 'general: hello' in client.get('/admin/audit').get_data(as_text=True)
    response = client.post('/admin/audit')
    assert response.status_code == 302
    assert store.messages == []


def test_ping(client):
    assert client.get('/admin/ping').get_json() == {'pong': True}
    assert client.post('/admin/ping').get_json() == {'pong': True, 'method': 'POST'}


def test_home_redirects(client):
    assert client.get('/').headers['Location'] == '/events/'
