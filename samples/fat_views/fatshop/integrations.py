"""External services: address validation, CRM, notifications (all fakes)."""

SENT = []
CRM = {}


def validate_address(street):
    street = street.strip()
    if not street or not any(ch.isdigit() for ch in street):
        return None
    return {"street": street.title(), "postcode": "P" + str(len(street))}


def crm_update(user_id, **fields):
    CRM.setdefault(user_id, {}).update(fields)


def notify(email, message):
    SENT.append((email, message))
