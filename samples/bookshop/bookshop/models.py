"""A tiny in-memory store. One Store per app instance."""
from dataclasses import asdict, dataclass, field

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

# cheap hashing: this store is re-seeded for every app instance
_HASH_METHOD = 'pbkdf2:sha256:1000'


@dataclass
class Book:
    id: int
    title: str
    author: str
    price_cents: int
    stock: int
    description: str = ''

    def to_dict(self):
        return asdict(self)


@dataclass
class User:
    id: int
    username: str
    name: str
    email: str
    password_hash: str
    is_admin: bool = False
    newsletter: bool = False

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def to_dict(self):
        data = asdict(self)
        del data['password_hash']
        return data


@dataclass
class OrderLine:
    book_id: int
    title: str
    quantity: int
    unit_price_cents: int

    @property
    def total_cents(self):
        return self.quantity * self.unit_price_cents


@dataclass
class Order:
    id: int
    user_id: int | None
    email: str
    lines: list
    subtotal_cents: int
    discount_cents: int
    shipping_cents: int
    total_cents: int
    address: str = ''
    discount_code: str = ''
    status: str = 'placed'

    def to_dict(self):
        return asdict(self)


@dataclass
class Store:
    books: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    orders: dict = field(default_factory=dict)
    outbox: list = field(default_factory=list)
    discount_codes: dict = field(default_factory=dict)
    next_order_id: int = 1

    def seed(self):
        for book in [
            Book(1, 'Dune', 'Frank Herbert', 1299, 5, 'Spice, sand and politics.'),
            Book(2, 'Neuromancer', 'William Gibson', 999, 2, 'The sky above the port.'),
            Book(3, 'The Hobbit', 'J. R. R. Tolkien', 1099, 0, 'There and back again.'),
            Book(4, 'Foundation', 'Isaac Asimov', 899, 10, 'Psychohistory saves the galaxy.'),
            Book(5, 'Hyperion', 'Dan Simmons', 1199, 3, 'Pilgrims and the Shrike.'),
            Book(6, 'Solaris', 'Stanislaw Lem', 1050, 4, 'An ocean that thinks.'),
            Book(7, 'Dune Messiah', 'Frank Herbert', 1150, 1, 'The sequel.'),
        ]:
            self.books[book.id] = book
        self.users[1] = User(1, 'alice', 'Alice Liddell', 'alice@example.com',
                             generate_password_hash('wonderland', _HASH_METHOD))
        self.users[2] = User(2, 'bob', 'Bob Builder', 'bob@example.com',
                             generate_password_hash('canwefixit', _HASH_METHOD))
        self.users[3] = User(3, 'admin', 'Shop Admin', 'admin@example.com',
                             generate_password_hash('admin-pass', _HASH_METHOD),
                             is_admin=True)
        self.discount_codes = {
            'WELCOME10': ('percent', 10),
            'FIVEOFF': ('fixed', 500),
        }

    def search_books(self, query=''):
        query = (query or '').strip().lower()
        books = sorted(self.books.values(), key=lambda b: b.id)
        if not query:
            return books
        return [b for b in books
                if query in b.title.lower() or query in b.author.lower()]

    def find_user(self, username):
        for user in self.users.values():
            if user.username == username:
                return user
        return None

    def create_order(self, **fields):
        order = Order(id=self.next_order_id, **fields)
        self.orders[order.id] = order
        self.next_order_id += 1
        return order


def get_store():
    return current_app.extensions['bookshop.store']
