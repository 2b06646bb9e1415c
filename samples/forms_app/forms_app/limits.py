import functools
import time

from flask import current_app, request

_hits = {}


def rate_limited(method='POST', limit_key='CONTACT_LIMIT', window=60):
    """Allow `limit` requests with `method` per client and path in `window` seconds."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if request.method == method:
                key = (id(current_app._get_current_object()), request.remote_addr, request.path)
                now = time.monotonic()
                recent = [t for t in _hits.get(key, []) if now - t < window]
                if len(recent) >= current_app.config[limit_key]:
                    return 'Too many requests, slow down.', 429
                _hits[key] = recent + [now]
            return view(*args, **kwargs)
        return wrapped
    return decorator
