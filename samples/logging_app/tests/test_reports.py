def test_customers_report(client):
    response = client.get('/reports/customers')
    assert response.get_json() == {'rows': [{'id': 1, 'name': 'Ada'}, {'id': 2, 'name': 'Grace'}]}


def test_orders_report(client):
    client.post('/orders/10/pay', data={'card': '4242'})
    assert client.get('/reports/orders').get_json() == {'total_cents': 4599}
