import pytest
from fatshop import create_app, integrations


@pytest.fixture
def client():
    integrations.SENT.clear()
    integrations.CRM.clear()
    return create_app({"TESTING": True}).test_client()
