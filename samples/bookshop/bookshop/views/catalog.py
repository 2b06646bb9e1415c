import logging
from decimal import Decimal, InvalidOperation

from flask import (Blueprint, abort, current_app, flash, redirect,
                   render_template, request, url_for)

from ..auth import current_user, login_required
from ..models import get_store

logger = logging.getLogger(__name__)

bp = Blueprint('catalog', __name__)


@bp.route('/')
@bp.route('/books')
def index():
    store = get_store()
    query = request.args.get('q', '')
    page = request.args.get('page', 1, type=int)
    per_page = current_app.config['PER_PAGE']
    books = store.search_books(query)
    logger.debug(f'catalog search q={query!r} page={page} hits={len(books)}')
    pages = max(1, -(-len(books) // per_page))
    if page < 1 or page > pages:
        abort(404)
    start = (page - 1) * per_page
    return render_template('index.html', books=books[start:start + per_page],
                           query=query, page=page, pages=pages)


@bp.route('/books/<int:book_id>')
def book_detail(book_id):
    book = get_store().books.get(book_id) or abort(404)
    return render_template('book.html', book=book)


@bp.route('/books/<int:book_id>/edit', methods=('GET', 'POST'))
@login_required
def edit_book(book_id):
    book = get_store().books.get(book_id)
    if book is None:
        abort(404)
    if not current_user().is_admin:
        abort(403, 'Admins only')
    errors = []
    if request.method == 'POST':
        title = request.form.get('title', '').strip()
        author = request.form.get('author', '').strip()
        if not title:
            errors.append('Title is required.')
        try:
            price = Decimal(request.form.get('price', ''))
            if price <= 0:
                raise InvalidOperation
        except InvalidOperation:
            errors.append('Price must be a positive number.')
        try:
            stock = int(request.form.get('stock', ''))
            if stock < 0:
                raise ValueError(stock)
        except ValueError:
            errors.append('Stock must be a whole number.')
        if not errors:
            book.title = title
            book.author = author or book.author
            book.price_cents = int(price * 100)
            book.stock = stock
            logger.info('Book {} updated by {}'.format(book.id, current_user().username))
            flash(f'Saved changes to {book.title}.')
            return redirect(url_for('catalog.book_detail', book_id=book.id))
    return render_template('edit_book.html', book=book, errors=errors)
