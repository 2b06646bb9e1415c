from conftest import html_error


def test_index_and_project(client):
    assert 'Website' in client.get('/').get_data(as_text=True)
    assert 'Footer links are broken' in client.get('/projects/web').get_data(as_text=True)
    html_error(client.get('/projects/nope'), 404, 'The requested URL was not found on the server.')
    response = client.get('/projects/Web')
    assert response.status_code == 400
    assert response.get_data(as_text=True) == 'Project slugs are lowercase.'


def test_ticket(client):
    assert '#1 Login page is slow' in client.get('/tickets/1').get_data(as_text=True)
    html_error(client.get('/tickets/99'), 404, 'The requested URL was not found on the server.')
    html_error(client.get('/tickets/3'), 403, 'This ticket is private.')
    assert client.get('/tickets/3?token=s3cret').status_code == 200


def test_archive(client):
    assert 'Old intranet (archived)' in client.get('/projects/old/archive').get_data(as_text=True)
    html_error(client.get('/projects/nope/archive'), 404, 'No project called nope.')
    html_error(client.get('/projects/web/archive'), 409, 'This project is still active.')


def test_search(client):
    assert '#2 Footer links are broken' in client.get('/search?q=footer').get_data(as_text=True)
    html_error(client.get('/search?q=x'), 400, 'Type at least two characters.')
    response = client.get('/search?q=zebra')
    assert response.status_code == 404
    assert 'No tickets match.' in response.get_data(as_text=True)


def test_export_is_read_only(client):
    assert client.get('/export').get_data(as_text=True).startswith('1;web;Login page is slow')
    response = html_error(client.post('/export'), 405, 'Method Not Allowed')
    assert response.headers['Allow'] == 'GET'


def test_teapot(client):
    html_error(client.get('/teapot'), 418, 'This server is a teapot, not a coffee machine')
