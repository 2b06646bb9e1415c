from conftest import allowed


def test_contact_form(client):
    response = client.get('/contact')
    assert response.status_code == 200
    assert 'Contact us about general' in response.get_data(as_text=True)
    assert 'Contact us about press' in client.get('/contact/press').get_data(as_text=True)
    assert 'Contact us about general' in client.get('/contact/nonsense').get_data(as_text=True)


def test_contact_sent(client, store, flashes):
    response = client.post('/contact', data={'message': 'Hello there, events team!'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/contact'
    assert store.messages == [('general', 'Hello there, events team!')]
    assert flashes(client) == ['Thanks, we will get back to you.']


def test_contact_too_short_rerenders(client, store):
    response = client.post('/contact', data={'message': 'hi'})
    assert response.status_code == 200
    assert 'Your message is too short.' in response.get_data(as_text=True)
    assert store.messages == []


def test_contact_topic_rule_is_get_only(client):
    # the second rule never accepted POST; it still does not
    assert client.post('/contact/press', data={'message': 'Hello there, press!'}).status_code == 405
    assert allowed(client.options('/contact/press')) == {'GET', 'HEAD', 'OPTIONS'}
    assert {'GET', 'POST'} <= allowed(client.options('/contact'))


def test_contact_posts_are_rate_limited(app):
    client = app.test_client()
    codes = [client.post('/contact', data={'message': 'x'}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # GETs are not counted, and not limited
    assert all(client.get('/contact').status_code == 200 for _ in range(5))


def test_contact_head_and_url_for(client, url_for):
    assert client.head('/contact').status_code == 200
    assert url_for('contact.contact') == '/contact'
    assert url_for('contact.contact', topic='press') == '/contact/press'


def test_subscribe(client, store, flashes):
    page = client.get('/newsletter')
    assert page.status_code == 200 and '0 subscribers so far.' in page.get_data(as_text=True)
    response = client.post('/newsletter', data={'email': ' Ada@Example.org '})
    assert response.status_code == 302
    assert response.headers['Location'] == '/newsletter'
    assert store.subscribers == {'ada@example.org'}
    assert flashes(client) == ['ada@example.org is subscribed.']


def test_subscribe_invalid_rerenders(client, store):
    response = client.post('/newsletter', data={'email': 'nope'})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'Please enter an email address.' in body
    assert 'value="nope"' in body
    assert store.subscribers == set()


def test_subscribe_head_strict_slashes_url_for(client, url_for):
    assert client.head('/newsletter').status_code == 200
    assert client.get('/newsletter/').status_code == 200  # strict_slashes=False
    assert url_for('contact.subscribe') == '/newsletter'
