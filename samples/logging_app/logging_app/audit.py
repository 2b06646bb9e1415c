"""The audit logger: configured here and imported elsewhere, so it stays a stdlib logger."""
import logging

audit_logger = logging.getLogger('logging_app.audit')
audit_logger.setLevel(logging.INFO)
audit_logger.propagate = True


def record(action, who):
    audit_logger.info('%s by %s', action, who)
