from flask import Blueprint, flash, redirect, render_template, request, url_for

from .limits import rate_limited
from .store import get_store

bp = Blueprint('contact', __name__)

TOPICS = ('general', 'events', 'press')


@bp.route('/contact', methods=['GET', 'POST'], defaults={'topic': 'general'})
@bp.route('/contact/<topic>')
@rate_limited(method='POST')
def contact(topic):
    if topic not in TOPICS:
        topic = 'general'
    if request.method in ['POST']:
        message = request.form.get('message', '').strip()
        if len(message) < 10:
            flash('Your message is too short.')
            return render_template('contact.html', topic=topic, message=message), 200
        get_store().messages.append((topic, message))
        flash('Thanks, we will get back to you.')
        return redirect(url_for('contact.contact'))
    return render_template('contact.html', topic=topic, message='')


@bp.route('/newsletter', endpoint='subscribe', methods=['GET', 'POST'], strict_slashes=False)
def newsletter():
    email = request.form.get('email', '').strip().lower() if 'POST' == request.method else ''
    if request.method == 'POST' and '@' in email:
        get_store().subscribers.add(email)
        flash(f'{email} is subscribed.')
        return redirect(url_for('contact.subscribe'))
    elif request.method == 'POST':
        flash('Please enter an email address.')
    return render_template('subscribe.html', email=email, count=len(get_store().subscribers))
