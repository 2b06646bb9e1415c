from flask import (Blueprint, current_app, flash, jsonify, redirect,
                   render_template, request, session, url_for)

from ..auth import current_user, login_required
from ..models import get_store

bp = Blueprint('account', __name__)


@bp.route('/login', methods=['GET', 'POST'])
def login():
    if request.method == 'POST':
        username = request.form.get('username', '').strip()
        password = request.form.get('password', '')
        user = get_store().find_user(username)
        if user is None or not user.check_password(password):
            current_app.logger.warning('Failed login for ' + str(username))
            flash('Invalid username or password.')
            return render_template('login.html', username=username)
        cart = session.get('cart')
        session.clear()
        session['user_id'] = user.id
        if cart:
            session['cart'] = cart
        flash(f'Welcome back, {user.name}!')
        next_url = request.args.get('next', '')
        if not next_url.startswith('/') or next_url.startswith('//'):
            next_url = url_for('catalog.index')
        return redirect(next_url)
    else:
        if current_user() is not None:
            return redirect(url_for('catalog.index'))
        return render_template('login.html', username='')


@bp.route('/logout')
def logout():
    session.clear()
    flash('You have been logged out.')
    return redirect(url_for('catalog.index'))


@bp.route('/account/settings', methods=['GET', 'POST'])
@login_required
def settings():
    store = get_store()
    user = current_user()
    errors = []
    if request.method == 'POST':
        name = request.form.get('name', '').strip()
        email = request.form.get('email', '').strip().lower()
        if not name:
            errors.append('Name is required.')
        if '@' not in email:
            errors.append('Please enter a valid email address.')
        elif any(u.email == email and u.id != user.id for u in store.users.values()):
            errors.append('That email address is already in use.')
        if not errors:
            user.name = name
            user.email = email
            user.newsletter = request.form.get('newsletter') == 'on'
            current_app.logger.info('User %s updated settings', user.id)
            flash('Your settings have been saved.')
    return render_template('settings.html', user=user, errors=errors)


@login_required
@bp.route('/account/export')
def export_account():
    store = get_store()
    user = store.users[session['user_id']]
    orders = [o.to_dict() for o in store.orders.values() if o.user_id == user.id]
    return jsonify({'user': user.to_dict(), 'orders': orders})
