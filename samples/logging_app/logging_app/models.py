"""In-memory customers and orders."""
from dataclasses import dataclass, field


class PaymentError(Exception):
    pass


@dataclass
class Customer:
    id: int
    name: str
    email: str
    tier: str = 'basic'
    settings: dict = field(default_factory=dict)
    addresses: list = field(default_factory=list)

    def __str__(self):
        return f'{self.name} <{self.email}>'


@dataclass
class Order:
    id: int
    customer_id: int
    total_cents: int
    paid: bool = False

    def pay(self, card):
        if not card or not card.isdigit():
            raise PaymentError(f'card {card!r} was declined')
        self.paid = True


class Store:
    def __init__(self):
        self.customers = {}
        self.orders = {}

    @classmethod
    def seeded(cls):
        store = cls()
        store.customers[1] = Customer(1, 'Ada', 'ada@example.com', tier='gold')
        store.customers[2] = Customer(2, 'Grace', 'grace@example.com')
        store.orders[10] = Order(10, 1, 4599)
        store.orders[11] = Order(11, 2, 1250)
        return store


def get_store():
    from flask import current_app
    return current_app.extensions['portal.store']
