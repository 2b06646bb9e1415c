"""A tiny in-memory store standing in for a database."""


class User:
    def __init__(self, id, name, email, street=""):
        self.id = id
        self.name = name
        self.email = email
        self.street = street
        self.postcode = ""


class Store:
    def __init__(self):
        self.users = {1: User(1, "Ann", "ann@example.com")}
        self.orders = []
        self.commits = 0

    def commit(self):
        self.commits += 1


store = Store()


def reset():
    global store
    store.__init__()
