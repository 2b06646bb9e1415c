from datetime import date

from conftest import allowed

EVENT = {'title': 'Pub quiz', 'day': '2030-07-01', 'seats': '20', 'description': 'Teams of four.'}


def test_index(client):
    body = client.get('/events/').get_data(as_text=True)
    assert 'Flask meetup' in body and 'Python sprint' in body
    assert 'class="active"' in body


# -- new_event: the POST branch falls through to the shared render -----------

def test_new_event_form(admin):
    response = admin.get('/events/new')
    assert response.status_code == 200
    assert '<input name="seats" value="10">' in response.get_data(as_text=True)


def test_new_event_created(admin, store, flashes):
    response = admin.post('/events/new', data=EVENT)
    assert response.status_code == 302
    event = max(store.events.values(), key=lambda e: e.id)
    assert response.headers['Location'] == f'/events/{event.id}'
    assert (event.title, event.day, event.seats) == ('Pub quiz', date(2030, 7, 1), 20)
    assert flashes(admin)[-1] == 'Created Pub quiz.'


def test_new_event_invalid_rerenders(admin, store):
    count = len(store.events)
    response = admin.post('/events/new', data=dict(EVENT, title='', seats='0'))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'Title is required.' in body
    assert 'Seats must be a positive whole number.' in body
    assert 'value="2030-07-01"' in body
    assert len(store.events) == count


def test_new_event_head_options_url_for(admin, url_for):
    response = admin.head('/events/new')
    assert (response.status_code, response.get_data()) == (200, b'')
    assert {'GET', 'POST'} <= allowed(admin.options('/events/new'))
    assert url_for('events.new_event') == '/events/new'


# -- register: early return for GET -------------------------------------------

def test_register_form(client):
    response = client.get('/events/3/register')
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'Register for Flask meetup' in body
    assert 'action="/events/3/register"' in body


def test_register_success(client, store, flashes):
    response = client.post('/events/3/register', data={'name': 'Grace'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/events/3'
    assert store.events[3].attendees == ['Grace']
    assert flashes(client) == ['Grace is registered for Flask meetup.']


def test_register_errors_rerender(client, store):
    client.post('/events/3/register', data={'name': 'Grace'})
    response = client.post('/events/3/register', data={'name': 'Grace'})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'Grace is already registered.' in body
    # the re-rendered form still posts to the same URL
    assert 'action="/events/3/register"' in body
    client.post('/events/3/register', data={'name': 'Linus'})
    response = client.post('/events/3/register', data={'name': 'Guido'})
    assert 'Sorry, the event is full.' in response.get_data(as_text=True)
    assert store.events[3].attendees == ['Grace', 'Linus']
    assert client.post('/events/99/register', data={'name': 'X'}).status_code == 404


def test_register_head_and_url_for(client, url_for):
    assert client.head('/events/3/register').status_code == 200
    assert client.head('/events/99/register').status_code == 404
    assert url_for('events.register', event_id=3) == '/events/3/register'


# -- detail: GET, POST and DELETE with their own branches ---------------------

def test_detail_page(client):
    response = client.get('/events/3')
    assert response.status_code == 200
    assert 'Talks and pizza.' in response.get_data(as_text=True)
    assert client.get('/events/99').status_code == 404


def test_detail_note(admin, store, flashes):
    response = admin.post('/events/3', data={'note': 'Bring a laptop.'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/events/3'
    assert store.events[3].description == 'Talks and pizza.\nBring a laptop.'
    admin.post('/events/3', data={'note': ' '})
    assert flashes(admin)[-1] == 'The note was empty.'


def test_detail_writes_need_an_admin(client, bob, store):
    assert client.post('/events/3', data={'note': 'x'}).status_code == 403
    assert client.delete('/events/3').status_code == 403
    assert 3 in store.events


def test_detail_delete(admin, store):
    response = admin.delete('/events/4')
    assert response.status_code == 204
    assert 4 not in store.events


def test_detail_head_options_url_for(client, url_for):
    assert client.head('/events/3').status_code == 200
    assert {'GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'} == allowed(client.options('/events/3'))
    assert client.put('/events/3').status_code == 405
    assert url_for('events.detail', event_id=3) == '/events/3'


# -- edit: compound conditions, a conditional expression, an elif -------------

def test_edit_form(admin):
    body = admin.get('/events/4/edit').get_data(as_text=True)
    assert 'value="Python sprint"' in body and 'value="2030-06-01"' in body


def test_edit_saves(admin, store):
    response = admin.post('/events/4/edit', data=EVENT)
    assert response.status_code == 302
    assert response.headers['Location'] == '/events/4'
    assert store.events[4].title == 'Pub quiz'


def test_edit_invalid_rerenders(admin, store, flashes):
    response = admin.post('/events/4/edit', data=dict(EVENT, day='tomorrow'))
    assert response.status_code == 200
    assert 'Day must be a date (YYYY-MM-DD).' in response.get_data(as_text=True)
    assert store.events[4].title == 'Python sprint'


def test_edit_too_few_seats(admin, store):
    store.events[4].attendees = ['a', 'b', 'c']
    response = admin.post('/events/4/edit', data=dict(EVENT, seats='2'))
    assert response.status_code == 200
    assert 'More people are registered than that.' in response.get_data(as_text=True)


def test_edit_needs_admin(bob):
    assert bob.get('/events/4/edit').status_code == 403
    assert bob.post('/events/4/edit', data=EVENT).status_code == 403


def test_edit_head_and_url_for(admin, url_for):
    assert admin.head('/events/4/edit').status_code == 200
    assert url_for('events.edit', event_id=4) == '/events/4/edit'
