from fatshop import integrations, models


def test_settings_page(client):
    response = client.get("/account/1/settings")
    assert response.status_code == 200
    assert b"Ann|ann@example.com" in response.data


def test_settings_saved(client):
    response = client.post("/account/1/settings", data={"name": " Bob ", "email": "BOB@x.org", "street": "12 high st"})
    assert response.status_code == 302
    user = models.store.users[1]
    assert (user.name, user.email, user.street, user.postcode) == ("Bob", "bob@x.org", "12 High St", "P10")
    assert integrations.CRM[1] == {"name": "Bob", "email": "bob@x.org"}
    assert integrations.SENT == [("bob@x.org", "Your settings were updated.")]
    assert models.store.commits == 1


def test_settings_errors(client):
    response = client.post("/account/1/settings", data={"name": "", "email": "nope", "street": "high st"})
    assert response.status_code == 200
    assert b"Name is required.;Invalid email.;Invalid address." in response.data
    assert models.store.commits == 0 and integrations.SENT == []


def test_place_order(client):
    response = client.post("/orders/new", data={"user_id": "1", "quantity": "2", "items": "ab, cde ,"})
    assert response.status_code == 200
    assert response.data.startswith(b"10|ab,cde|")
    assert integrations.SENT == [("ann@example.com", "Order of 2 items placed.")]


def test_empty_order_flashes(client):
    response = client.post("/orders/new", data={"user_id": "1", "items": ""})
    assert b"0||Empty order." in response.data
