from conftest import json_error

ADMIN = {'X-Admin-Token': 'letmein'}


def test_stats_needs_a_token(client):
    json_error(client.get('/admin/stats'), 401, {'message': 'missing token'})
    json_error(client.get('/admin/stats', headers={'X-Admin-Token': 'guess'}), 403, {'message': 'bad token'})
    assert client.get('/admin/stats', headers=ADMIN).get_json() == {'projects': 3, 'tickets': 4}


def test_archive(client, store):
    json_error(client.post('/admin/projects/web/archive'), 403, {'message': 'missing token'})
    json_error(client.post('/admin/projects/nope/archive', headers=ADMIN), 400,
               {'message': 'unknown project nope'})
    json_error(client.post('/admin/projects/old/archive', headers=ADMIN), 409, {'message': 'already archived'})
    assert client.post('/admin/projects/web/archive', headers=ADMIN).get_json()['archived'] is True
    assert store.projects['web'].archived


def test_maintenance(app, client):
    json_error(client.get('/admin/maintenance'), 404, {'detail': 'not in maintenance'})
    app.config['MAINTENANCE'] = True
    json_error(client.get('/admin/maintenance'), 503, {'status': 'down'})
