from conftest import html_error, json_error


def test_get_project(client):
    assert client.get('/api/projects/web').get_json() == {
        'slug': 'web', 'name': 'Website', 'archived': False}
    json_error(client.get('/api/projects/nope'), 404, {'error': 'no project nope'})


def test_list_tickets(client):
    data = client.get('/api/projects/web/tickets').get_json()
    assert [t['id'] for t in data] == [1, 2]
    assert client.get('/api/projects/old/tickets?state=closed').get_json()[0]['title'] == 'Migrate the wiki'
    json_error(client.get('/api/projects/nope/tickets'), 404, {'error': 'no project nope'})
    json_error(client.get('/api/projects/web/tickets?state=later'), 400,
               {'error': 'state must be open, closed or all'})


def test_get_ticket(client):
    assert client.get('/api/tickets/2').get_json()['title'] == 'Footer links are broken'
    json_error(client.get('/api/tickets/99'), 404, {'error': 'ticket not found'})
    json_error(client.get('/api/tickets/3'), 404, {'error': 'ticket not found'})


def test_create_ticket(client, store):
    response = client.post('/api/projects/app/tickets', json={'title': 'Dark mode', 'priority': 2})
    assert response.status_code == 201
    assert response.get_json() == {'id': 5, 'project': 'app', 'title': 'Dark mode', 'priority': 2,
                                   'closed': False, 'private': False}
    assert store.tickets[5].title == 'Dark mode'


def test_create_ticket_errors(client, store):
    cases = [
        ('/api/projects/nope/tickets', {'title': 'x'}, 404, 'no project nope'),
        ('/api/projects/old/tickets', {'title': 'x'}, 409, 'project old is archived'),
        ('/api/projects/web/tickets', ['not', 'an', 'object'], 400, 'expected a JSON object'),
        ('/api/projects/web/tickets', {'title': '  '}, 422, 'title is required'),
        ('/api/projects/web/tickets', {'title': 'x' * 81}, 422, 'title is too long (81 > 80)'),
        ('/api/projects/web/tickets', {'title': 'x', 'priority': 'high'}, 400, 'priority must be a number'),
        ('/api/projects/web/tickets', {'title': 'Login page is slow'}, 409, 'duplicate ticket'),
    ]
    for url, payload, status, message in cases:
        json_error(client.post(url, json=payload), status, {'error': message})
    json_error(client.post('/api/projects/web/tickets', data='nope', content_type='text/plain'),
               400, {'error': 'expected a JSON object'})
    assert len(store.tickets) == 4


def test_rate_limit_keeps_retry_after(app, client):
    app.config['API_RATE_LIMIT'] = 1
    assert client.post('/api/projects/web/tickets', json={'title': 'One'}).status_code == 201
    response = json_error(client.post('/api/projects/web/tickets', json={'title': 'Two'}), 429,
                          {'error': 'slow down'})
    assert response.headers['Retry-After'] == '60'


def test_close_ticket(client, store):
    assert client.post('/api/tickets/1/close').get_json()['closed'] is True
    json_error(client.post('/api/tickets/1/close'), 409, {'error': 'ticket is already closed'})
    json_error(client.post('/api/tickets/99/close'), 404, {'error': 'ticket not found'})


def test_delete_is_refused(client):
    json_error(client.delete('/api/tickets/1'), 405, {'error': 'tickets cannot be deleted, close them'})


def test_routing_errors_stay_html(client):
    html_error(client.get('/api/nothing-here'), 404, 'Not Found')
    response = html_error(client.put('/api/tickets/1'), 405, 'Method Not Allowed')
    assert set(response.headers['Allow'].split(', ')) == {'GET', 'HEAD', 'OPTIONS', 'DELETE'}
