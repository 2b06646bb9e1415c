"""An in-memory store, seeded per app instance."""
from dataclasses import asdict, dataclass, field

from flask import current_app


@dataclass
class Project:
    slug: str
    name: str
    archived: bool = False

    def to_dict(self):
        return asdict(self)


@dataclass
class Ticket:
    id: int
    project: str
    title: str
    priority: int = 3
    closed: bool = False
    private: bool = False
    token: str = ''

    def to_dict(self):
        data = asdict(self)
        del data['token']
        return data


@dataclass
class Store:
    projects: dict = field(default_factory=dict)
    tickets: dict = field(default_factory=dict)
    api_calls: int = 0

    @classmethod
    def seeded(cls):
        store = cls()
        for project in (Project('web', 'Website'), Project('app', 'Mobile app'),
                        Project('old', 'Old intranet', archived=True)):
            store.projects[project.slug] = project
        store.add_ticket('web', 'Login page is slow', priority=2)
        store.add_ticket('web', 'Footer links are broken')
        store.add_ticket('app', 'Crash on start', priority=1, private=True, token='s3cret')
        store.add_ticket('old', 'Migrate the wiki', closed=True)
        return store

    def add_ticket(self, project, title, **fields):
        ticket = Ticket(len(self.tickets) + 1, project, title, **fields)
        self.tickets[ticket.id] = ticket
        return ticket

    def tickets_of(self, slug, state='open'):
        tickets = [t for t in self.tickets.values() if t.project == slug]
        if state == 'all':
            return tickets
        return [t for t in tickets if t.closed == (state == 'closed')]

    def close(self, ticket):
        if ticket.closed:
            raise ValueError(f'ticket {ticket.id} is already closed')
        ticket.closed = True


def get_store():
    return current_app.extensions['tracker.store']
