def test_show_customer(client):
    response = client.get('/customers/1')
    assert response.status_code == 200
    assert response.get_json() == {'id': 1, 'name': 'Ada', 'tier': 'gold', 'settings': {}}


def test_unknown_customer_is_404(client):
    assert client.get('/customers/99').status_code == 404


def test_update_settings(client, store):
    response = client.post('/customers/2/settings', json={'theme': 'dark', 'lang': 'fr'})
    assert response.status_code == 200
    assert response.get_json() == {'settings': {'theme': 'dark', 'lang': 'fr'}}
    assert store.customers[2].settings == {'theme': 'dark', 'lang': 'fr'}


def test_empty_settings_update_is_rejected(client):
    response = client.post('/customers/1/settings', json={})
    assert response.status_code == 400
    assert response.get_json() == {'error': 'no changes'}


def test_add_address(client, store):
    response = client.post('/customers/1/addresses', data={'address': ' 1 Loop Road '})
    assert response.status_code == 201
    assert response.get_json() == {'addresses': ['1 Loop Road']}
    assert store.customers[1].addresses == ['1 Loop Road']


def test_empty_address_is_rejected(client):
    response = client.post('/customers/1/addresses', data={'address': '  '})
    assert response.status_code == 400


def test_import_settings(client, store):
    response = client.post('/customers/1/import', data='a=1\nb=2\n')
    assert response.status_code == 200
    assert store.customers[1].settings == {'a': '1', 'b': '2'}


def test_malformed_import_is_rejected_and_logged_with_the_exception(client):
    response = client.post('/customers/1/import', data='no equals sign here')
    assert response.status_code == 400
    assert response.get_json() == {'error': 'malformed import'}


def test_import_of_many_settings_logs_a_critical_event(client, store):
    body = '\n'.join(f'key{i}={i}' for i in range(25))
    assert client.post('/customers/2/import', data=body).status_code == 200
    assert len(store.customers[2].settings) == 25
