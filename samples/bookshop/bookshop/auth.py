import functools

from flask import flash, redirect, request, session, url_for

from .models import get_store


def current_user():
    user_id = session.get('user_id')
    if user_id is None:
        return None
    return get_store().users.get(user_id)


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            flash('Please log in to continue.')
            return redirect(url_for('account.login', next=request.path))
        return view(*args, **kwargs)
    return wrapped
