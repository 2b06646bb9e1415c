def test_pay_order(client, store):
    response = client.post('/orders/10/pay', data={'card': '4242'})
    assert response.status_code == 200
    assert response.get_json() == {'id': 10, 'paid': True}
    assert store.orders[10].paid


def test_declined_card(client, store):
    response = client.post('/orders/11/pay', data={'card': 'nope'})
    assert response.status_code == 402
    assert response.get_json() == {'error': "card 'nope' was declined"}
    assert not store.orders[11].paid


def test_unknown_order(client):
    assert client.post('/orders/99/pay', data={'card': '1'}).status_code == 404
