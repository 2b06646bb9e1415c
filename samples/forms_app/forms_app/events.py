from datetime import date

from flask import (Blueprint, abort, flash, redirect, render_template, request,
                   url_for)

from .auth import current_user, login_required
from .store import get_store

bp = Blueprint('events', __name__)


def parse_event(form):
    """(values, errors) from a submitted event form."""
    errors = []
    title = form.get('title', '').strip()
    if not title:
        errors.append('Title is required.')
    try:
        day = date.fromisoformat(form.get('day', ''))
    except ValueError:
        day = None
        errors.append('Day must be a date (YYYY-MM-DD).')
    try:
        seats = int(form.get('seats', ''))
        if seats < 1:
            raise ValueError(seats)
    except ValueError:
        seats = None
        errors.append('Seats must be a positive whole number.')
    values = {'title': title, 'day': day, 'seats': seats,
              'description': form.get('description', '').strip()}
    return values, errors


@bp.route('/')
def index():
    events = sorted(get_store().events.values(), key=lambda e: e.day)
    return render_template('events/index.html', events=events)


@bp.route('/new', methods=['GET', 'POST'])
@login_required
def new_event():
    errors = []
    values = {'title': '', 'day': '', 'seats': 10, 'description': ''}
    if request.method == 'POST':
        values, errors = parse_event(request.form)
        if not errors:
            event = get_store().add_event(**values)
            flash(f'Created {event.title}.')
            return redirect(url_for('events.detail', event_id=event.id))
    # the form, empty or with the errors of the submitted one
    return render_template('events/new.html', values=values, errors=errors)


@bp.route('/<int:event_id>/register', methods=('POST', 'GET'))
def register(event_id):
    event = get_store().events.get(event_id) or abort(404)
    if request.method != 'POST':
        return render_template('events/register.html', event=event, name='', errors=[])

    name = request.form.get('name', '').strip()
    errors = []
    if not name:
        errors.append('Please tell us your name.')
    elif name in event.attendees:
        errors.append(f'{name} is already registered.')
    if event.seats_left <= 0:
        errors.append('Sorry, the event is full.')
    if errors:
        return render_template('events/register.html', event=event, name=name, errors=errors)
    event.attendees.append(name)
    flash(f'{name} is registered for {event.title}.')
    return redirect(url_for('events.detail', event_id=event.id))


@bp.route('/<int:event_id>', methods={'get', 'post', 'delete'})
def detail(event_id):
    store = get_store()
    event = store.events.get(event_id) or abort(404)
    if request.method in ('POST', 'DELETE'):
        user = current_user()
        if user is None or not user.is_admin:
            abort(403)
    if request.method == 'DELETE':
        del store.events[event.id]
        return '', 204
    elif request.method == 'POST':
        # a quick note from the detail page
        note = request.form.get('note', '').strip()
        if note:
            event.description = (event.description + '\n' + note).strip()
            flash('Note added.')
        else:
            flash('The note was empty.')
        return redirect(url_for('events.detail', event_id=event.id))
    return render_template('events/detail.html', event=event)


@bp.route('/<int:event_id>/edit', methods=['GET', 'POST'])
@login_required
def edit(event_id):
    event = get_store().events.get(event_id) or abort(404)
    if not current_user().is_admin:
        abort(403)
    source = request.form if request.method == 'POST' else {
        'title': event.title, 'day': event.day.isoformat(), 'seats': str(event.seats),
        'description': event.description}
    values, errors = parse_event(source)
    if request.method == 'POST' and not errors:
        if values['seats'] < len(event.attendees):
            errors.append('More people are registered than that.')
        else:
            event.title, event.day = values['title'], values['day']
            event.seats, event.description = values['seats'], values['description']
            flash('Saved.')
            return redirect(url_for('events.detail', event_id=event.id))
    elif request.method == 'POST':
        flash('Please fix the errors below.')
    return render_template('events/edit.html', event=event, values=source, errors=errors)
