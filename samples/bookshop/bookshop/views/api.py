import logging

from flask import Blueprint, current_app, jsonify, request

from ..models import OrderLine, get_store
from ..notifications import send_order_confirmation

logger = logging.getLogger(__name__)

bp = Blueprint('api', __name__)


@bp.route('/books')
def list_books():
    books = get_store().search_books(request.args.get('q', ''))
    return jsonify({'books': [b.to_dict() for b in books], 'count': len(books)})


@bp.route('/books/<int:book_id>')
def get_book(book_id):
    book = get_store().books.get(book_id)
    if book is None:
        return jsonify({'error': 'not found'}), 404
    return jsonify(book.to_dict())


@bp.route('/orders', methods=['POST'])
def create_order():
    store = get_store()
    payload = request.get_json(silent=True) or {}
    email = (payload.get('email') or '').strip().lower()
    items = payload.get('items') or []
    code = (payload.get('discount_code') or '').strip().upper()
    if '@' not in email:
        return jsonify({'error': 'a valid email is required'}), 400
    if not items:
        return jsonify({'error': 'no items'}), 400
    try:
        wanted = {}
        for item in items:
            book_id = int(item['book_id'])
            wanted[book_id] = wanted.get(book_id, 0) + int(item['quantity'])
    except (KeyError, TypeError, ValueError):
        logger.exception('Malformed order payload from %s', email)
        return jsonify({'error': 'malformed items'}), 400
    lines = []
    subtotal = 0
    for book_id, quantity in wanted.items():
        book = store.books.get(book_id)
        if book is None:
            return jsonify({'error': 'not found'}), 404
        if quantity < 1:
            return jsonify({'error': 'quantity must be positive'}), 400
        if book.stock < quantity:
            logger.info(f'API order from {email} rejected: book {book.id} stock {book.stock}')
            return {'error': f'insufficient stock for book {book.id}'}, 409
        lines.append(OrderLine(book.id, book.title, quantity, book.price_cents))
        subtotal += quantity * book.price_cents
    discount = 0
    if code:
        if code not in store.discount_codes:
            return jsonify({'error': 'unknown discount code'}), 400
        kind, amount = store.discount_codes[code]
        discount = subtotal * amount // 100 if kind == 'percent' else min(amount, subtotal)
    shipping = 0
    if subtotal - discount < current_app.config['FREE_SHIPPING_CENTS']:
        shipping = current_app.config['SHIPPING_CENTS']
    for line in lines:
        store.books[line.book_id].stock -= line.quantity
    order = store.create_order(
        user_id=None, email=email, lines=lines, subtotal_cents=subtotal,
        discount_cents=discount, shipping_cents=shipping,
        total_cents=subtotal - discount + shipping, discount_code=code,
    )
    send_order_confirmation(store, order)
    logger.info('API order ' + str(order.id) + ' created for ' + email)
    return jsonify(order.to_dict()), 201
