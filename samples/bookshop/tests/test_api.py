def test_list_and_search_books(client):
    response = client.get('/api/books')
    assert response.status_code == 200
    data = response.get_json()
    assert data['count'] == 7
    assert data['books'][0] == {'id': 1, 'title': 'Dune', 'author': 'Frank Herbert',
                                'price_cents': 1299, 'stock': 5,
                                'description': 'Spice, sand and politics.'}
    data = client.get('/api/books?q=dune').get_json()
    assert [b['id'] for b in data['books']] == [1, 7]


def test_get_book_and_missing_book(client):
    assert client.get('/api/books/4').get_json()['title'] == 'Foundation'
    response = client.get('/api/books/999')
    assert response.status_code == 404
    assert response.get_json() == {'error': 'not found'}


def test_create_order(client, store):
    response = client.post('/api/orders', json={
        'email': 'Carol@Example.com',
        'items': [{'book_id': 2, 'quantity': 1}, {'book_id': 6, 'quantity': 2}],
    })
    assert response.status_code == 201
    data = response.get_json()
    assert data['id'] == 1
    assert data['email'] == 'carol@example.com'
    assert data['user_id'] is None
    assert (data['subtotal_cents'], data['shipping_cents'], data['total_cents']) == (
        3099, 0, 3099)
    assert data['lines'][1] == {'book_id': 6, 'title': 'Solaris', 'quantity': 2,
                                'unit_price_cents': 1050}
    assert store.books[2].stock == 1
    assert store.books[6].stock == 2
    assert store.outbox[0]['to'] == 'carol@example.com'


def test_create_order_with_discount(client):
    data = client.post('/api/orders', json={
        'email': 'dan@example.com', 'discount_code': 'welcome10',
        'items': [{'book_id': 4, 'quantity': 1}],
    }).get_json()
    assert (data['discount_cents'], data['shipping_cents'], data['total_cents']) == (
        89, 499, 1309)


def test_create_order_insufficient_stock(client, store):
    response = client.post('/api/orders', json={
        'email': 'dan@example.com', 'items': [{'book_id': 7, 'quantity': 2}]})
    assert response.status_code == 409
    assert response.get_json() == {'error': 'insufficient stock for book 7'}
    assert store.books[7].stock == 1
    assert store.orders == {}
    assert store.outbox == []


def test_create_order_unknown_book(client, store):
    response = client.post('/api/orders', json={
        'email': 'dan@example.com', 'items': [{'book_id': 99, 'quantity': 1}]})
    assert response.status_code == 404
    assert response.get_json() == {'error': 'not found'}


def test_create_order_bad_requests(client, store):
    cases = [
        ({'items': [{'book_id': 1, 'quantity': 1}]}, 'a valid email is required'),
        ({'email': 'dan@example.com'}, 'no items'),
        ({'email': 'dan@example.com', 'items': [{'book_id': 1}]}, 'malformed items'),
        ({'email': 'dan@example.com', 'items': [{'book_id': 1, 'quantity': 'two'}]},
         'malformed items'),
        ({'email': 'dan@example.com', 'items': [{'book_id': 1, 'quantity': 0}]},
         'quantity must be positive'),
        ({'email': 'dan@example.com', 'discount_code': 'NOPE',
          'items': [{'book_id': 1, 'quantity': 1}]}, 'unknown discount code'),
    ]
    for payload, error in cases:
        response = client.post('/api/orders', json=payload)
        assert response.status_code == 400, payload
        assert response.get_json() == {'error': error}
    response = client.post('/api/orders', data='not json', content_type='text/plain')
    assert response.status_code == 400
    assert store.orders == {}
    assert store.books[1].stock == 5
