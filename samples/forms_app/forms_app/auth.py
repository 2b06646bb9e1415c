import functools

from flask import (Blueprint, current_app, flash, redirect, render_template,
                   request, session, url_for)

from .store import get_store

bp = Blueprint('auth', __name__)


def current_user():
    user_id = session.get('user_id')
    return None if user_id is None else get_store().users.get(user_id)


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            flash('Please log in first.')
            return redirect(url_for('auth.login', next=request.path))
        return view(*args, **kwargs)
    return wrapped


@bp.route('/login', methods=['GET', 'POST'])
def login():
    if request.method == 'GET':
        # already logged in: nothing to do here
        if current_user() is not None:
            return redirect(url_for('events.index'))
        return render_template('login.html', username='')
    else:
        # check the credentials
        username = request.form.get('username', '').strip()
        user = get_store().find_user(username)
        if user is None or not user.check_password(request.form.get('password', '')):
            current_app.logger.warning('failed login for %r', username)
            flash('Invalid username or password.')
            return render_template('login.html', username=username)
        session.clear()
        session['user_id'] = user.id
        flash(f'Welcome, {user.username}!')
        next_url = request.args.get('next', '')
        if not next_url.startswith('/') or next_url.startswith('//'):
            next_url = url_for('events.index')
        return redirect(next_url)


@bp.route('/logout')
def logout():
    session.clear()
    return redirect(url_for('auth.login'))
