def test_index_lists_first_page(client):
    response = client.get('/')
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count('class="book"') == 5
    assert 'Dune' in body and 'Hyperion' in body
    assert 'Solaris' not in body
    assert 'Page 1 of 2' in body


def test_books_alias_pagination(client):
    response = client.get('/books?page=2')
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.count('class="book"') == 2
    assert 'Solaris' in body and 'Dune Messiah' in body
    assert client.get('/books?page=3').status_code == 404
    assert client.get('/?page=0').status_code == 404


def test_search(client):
    body = client.get('/?q=herbert').get_data(as_text=True)
    assert body.count('class="book"') == 2
    assert 'Neuromancer' not in body
    response = client.get('/?q=zzz')
    assert response.status_code == 200
    assert 'No books match your search.' in response.get_data(as_text=True)


def test_book_detail(client):
    response = client.get('/books/1')
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<h1>Dune</h1>' in body
    assert '$12.99' in body
    assert '5 in stock' in body


def test_book_detail_out_of_stock(client):
    body = client.get('/books/3').get_data(as_text=True)
    assert 'Out of stock' in body
    assert 'Add to cart' not in body


def test_book_detail_missing(client):
    assert client.get('/books/999').status_code == 404


def test_edit_book_requires_login(client, flashes):
    response = client.get('/books/1/edit')
    assert response.status_code == 302
    assert response.headers['Location'].startswith('/login?next=')
    assert flashes(client) == ['Please log in to continue.']


def test_edit_book_forbidden_for_customers(alice, store):
    response = alice.post('/books/1/edit', data={'title': 'Hacked', 'price': '1', 'stock': '1'})
    assert response.status_code == 403
    assert 'Admins only' in response.get_data(as_text=True)
    assert store.books[1].title == 'Dune'


def test_edit_book_form_prefilled(admin):
    response = admin.get('/books/2/edit')
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'value="Neuromancer"' in body
    assert 'value="9.99"' in body
    assert admin.get('/books/999/edit').status_code == 404


def test_edit_book_saves(admin, store):
    response = admin.post('/books/1/edit', data={
        'title': 'Dune (Deluxe)', 'author': '', 'price': '24.50', 'stock': '7'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/books/1'
    book = store.books[1]
    assert (book.title, book.author, book.price_cents, book.stock) == (
        'Dune (Deluxe)', 'Frank Herbert', 2450, 7)
    page = admin.get('/books/1').get_data(as_text=True)
    assert 'Saved changes to Dune (Deluxe).' in page


def test_edit_book_validation(admin, store):
    response = admin.post('/books/1/edit', data={'title': '', 'price': 'abc', 'stock': '-1'})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'Title is required.' in body
    assert 'Price must be a positive number.' in body
    assert 'Stock must be a whole number.' in body
    assert store.books[1].title == 'Dune'
    assert store.books[1].stock == 5

