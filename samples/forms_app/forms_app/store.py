"""A tiny in-memory store, one per app instance."""
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

_HASH_METHOD = 'pbkdf2:sha256:1000'  # cheap: re-seeded for every app


@dataclass
class User:
    id: int
    username: str
    password_hash: str
    is_admin: bool = False

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


@dataclass
class Event:
    id: int
    title: str
    day: date
    seats: int
    description: str = ''
    attendees: list = field(default_factory=list)

    @property
    def seats_left(self):
        return self.seats - len(self.attendees)


@dataclass
class Store:
    users: dict = field(default_factory=dict)
    events: dict = field(default_factory=dict)
    messages: list = field(default_factory=list)
    subscribers: set = field(default_factory=set)
    next_id: int = 1

    @classmethod
    def seeded(cls):
        store = cls()
        store.add_user('ada', 'lovelace', is_admin=True)
        store.add_user('bob', 'builder')
        store.add_event('Flask meetup', date(2030, 5, 4), 2, 'Talks and pizza.')
        store.add_event('Python sprint', date(2030, 6, 1), 10)
        return store

    def _id(self):
        self.next_id += 1
        return self.next_id - 1

    def add_user(self, username, password, is_admin=False):
        user = User(self._id(), username, generate_password_hash(password, _HASH_METHOD), is_admin)
        self.users[user.id] = user
        return user

    def find_user(self, username):
        return next((u for u in self.users.values() if u.username == username), None)

    def add_event(self, title, day, seats, description=''):
        event = Event(self._id(), title, day, seats, description)
        self.events[event.id] = event
        return event


def get_store():
    return current_app.extensions['forms_app.store']
