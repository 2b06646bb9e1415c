import pytest


def add(client, book_id, quantity=1):
    return client.post('/cart/add', data={'book_id': book_id, 'quantity': quantity})


def test_add_to_cart(client, flashes):
    response = add(client, 1, 2)
    assert response.status_code == 302
    assert response.headers['Location'] == '/cart'
    assert flashes(client) == ['Added Dune to your cart.']
    body = client.get('/cart').get_data(as_text=True)
    assert '2 x Dune = $25.98' in body
    assert 'Subtotal: $25.98' in body


def test_add_more_than_stock_or_unknown_book(client, flashes):
    add(client, 2, 2)
    response = add(client, 2, 1)
    assert response.headers['Location'] == '/books/2'
    assert flashes(client)[-1] == 'Sorry, only 2 copies of Neuromancer are available.'
    assert '2 x Neuromancer' in client.get('/cart').get_data(as_text=True)
    assert add(client, 999).status_code == 404


def test_checkout_requires_login(client):
    response = client.get('/checkout')
    assert response.status_code == 302
    assert response.headers['Location'] == '/login?next=/checkout'


def test_cart_survives_login_and_checkout_page(client, login):
    add(client, 4, 3)
    login()
    response = client.get('/checkout')
    assert response.status_code == 200
    assert 'Subtotal: $26.97' in response.get_data(as_text=True)


def test_checkout_empty_cart(alice, flashes):
    response = alice.post('/checkout', data={'address': '1 Rabbit Hole'})
    assert response.headers['Location'] == '/cart'
    assert flashes(alice) == ['Welcome back, Alice Liddell!', 'Your cart is empty.']


def test_checkout_places_order(alice, store):
    add(alice, 1)
    response = alice.post('/checkout', data={'address': '1 Rabbit Hole'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/orders/1'
    order = store.orders[1]
    assert (order.subtotal_cents, order.discount_cents, order.shipping_cents,
            order.total_cents) == (1299, 0, 499, 1798)
    assert store.books[1].stock == 4
    assert store.outbox == [{'to': 'alice@example.com',
                             'subject': 'Your bookshop order #1',
                             'body': 'Thanks for your order. Total: 1798'}]
    page = alice.get('/orders/1').get_data(as_text=True)
    assert 'Thank you! Order #1 has been placed.' in page
    assert 'Total: $17.98' in page
    assert 'Your cart is empty.' in alice.get('/cart').get_data(as_text=True)


@pytest.mark.parametrize('code, discount, shipping, total', [
    ('welcome10', 349, 0, 3148),
    ('', 0, 0, 3497),
    ('FIVEOFF', 500, 499, 3496),
])
def test_checkout_discounts_and_shipping(alice, store, code, discount, shipping, total):
    add(alice, 1, 2)
    add(alice, 4, 1)
    alice.post('/checkout', data={'address': 'x', 'discount_code': code})
    order = store.orders[1]
    assert order.subtotal_cents == 3497
    assert (order.discount_cents, order.shipping_cents, order.total_cents) == (
        discount, shipping, total)


def test_checkout_rejects_bad_code_and_missing_address(alice, store, flashes):
    add(alice, 1)
    response = alice.post('/checkout', data={'address': 'x', 'discount_code': 'free'})
    assert response.headers['Location'] == '/checkout'
    assert flashes(alice)[-1] == 'Unknown discount code FREE.'
    assert store.orders == {}
    assert store.books[1].stock == 5
    response = alice.post('/checkout', data={'address': '  '})
    assert response.headers['Location'] == '/checkout'
    assert flashes(alice)[-1] == 'Please enter a shipping address.'
    assert store.orders == {}


def test_checkout_stock_ran_out(alice, store, flashes):
    add(alice, 5, 3)
    store.books[5].stock = 1
    response = alice.post('/checkout', data={'address': 'x'})
    assert response.headers['Location'] == '/cart'
    assert flashes(alice)[-1] == 'Sorry, only 1 copies of Hyperion are left.'
    assert store.orders == {}
    assert store.books[5].stock == 1


def test_order_of_another_user_is_forbidden_and_missing_is_404(alice, client, login, store):
    add(alice, 1)
    alice.post('/checkout', data={'address': 'x'})
    client.get('/logout')
    login('bob', 'canwefixit')
    response = client.get('/orders/1')
    assert response.status_code == 403
    assert 'This is not your order.' in response.get_data(as_text=True)
    assert client.get('/orders/42').status_code == 404
