import logging

from flask import (Blueprint, abort, current_app, flash, redirect,
                   render_template, request, session, url_for)
from werkzeug.exceptions import NotFound

from ..auth import current_user, login_required
from ..models import OrderLine, get_store
from ..notifications import send_order_confirmation

logger = logging.getLogger(__name__)

bp = Blueprint('orders', __name__)


def cart_lines(store, cart):
    lines = []
    for book_id, quantity in cart.items():
        book = store.books.get(int(book_id))
        if book is not None:
            lines.append(OrderLine(book.id, book.title, quantity, book.price_cents))
    return lines


@bp.route('/cart')
def view_cart():
    lines = cart_lines(get_store(), session.get('cart', {}))
    subtotal = sum(line.total_cents for line in lines)
    return render_template('cart.html', lines=lines, subtotal=subtotal)


@bp.route('/cart/add', methods=['POST'])
def add_to_cart():
    store = get_store()
    book_id = request.form.get('book_id', type=int)
    quantity = request.form.get('quantity', 1, type=int)
    book = store.books.get(book_id)
    if book is None:
        abort(404)
    cart = session.get('cart', {})
    wanted = cart.get(str(book.id), 0) + quantity
    if quantity < 1 or wanted > book.stock:
        flash(f'Sorry, only {book.stock} copies of {book.title} are available.')
        return redirect(url_for('catalog.book_detail', book_id=book.id))
    cart[str(book.id)] = wanted
    session['cart'] = cart
    logger.info('Cart for user %s now holds %s items', session.get('user_id'), sum(cart.values()))
    flash(f'Added {book.title} to your cart.')
    return redirect(url_for('orders.view_cart'))


@bp.route('/checkout', methods=['GET', 'POST'])
@login_required
def checkout():
    store = get_store()
    user = current_user()
    cart = session.get('cart', {})
    if request.method == 'GET':
        lines = cart_lines(store, cart)
        subtotal = sum(line.total_cents for line in lines)
        return render_template('checkout.html', lines=lines, subtotal=subtotal)

    if not cart:
        flash('Your cart is empty.')
        return redirect(url_for('orders.view_cart'))
    address = request.form.get('address', '').strip()
    code = request.form.get('discount_code', '').strip().upper()
    if not address:
        flash('Please enter a shipping address.')
        return redirect(url_for('orders.checkout'))
    lines = []
    subtotal = 0
    for book_id, quantity in cart.items():
        book = store.books.get(int(book_id))
        if book is None:
            continue
        if book.stock < quantity:
            logger.warning('Stock too low for book %s (wanted %s, have %s)',
                           book.id, quantity, book.stock)
            flash(f'Sorry, only {book.stock} copies of {book.title} are left.')
            return redirect(url_for('orders.view_cart'))
        lines.append(OrderLine(book.id, book.title, quantity, book.price_cents))
        subtotal += quantity * book.price_cents
    discount = 0
    if code:
        rule = store.discount_codes.get(code)
        if rule is None:
            flash(f'Unknown discount code {code}.')
            return redirect(url_for('orders.checkout'))
        kind, amount = rule
        if kind == 'percent':
            discount = subtotal * amount // 100
        else:
            discount = min(amount, subtotal)
    if subtotal - discount >= current_app.config['FREE_SHIPPING_CENTS']:
        shipping = 0
    else:
        shipping = current_app.config['SHIPPING_CENTS']
    total = subtotal - discount + shipping
    for line in lines:
        store.books[line.book_id].stock -= line.quantity
    order = store.create_order(
        user_id=user.id, email=user.email, lines=lines,
        subtotal_cents=subtotal, discount_cents=discount,
        shipping_cents=shipping, total_cents=total,
        address=address, discount_code=code,
    )
    send_order_confirmation(store, order)
    session.pop('cart', None)
    logger.info('order created', extra={'order_id': order.id, 'user_id': user.id,
                                        'total_cents': total})
    flash(f'Thank you! Order #{order.id} has been placed.')
    return redirect(url_for('orders.order_detail', order_id=order.id))


@bp.route('/orders/<int:order_id>')
@login_required
def order_detail(order_id):
    order = get_store().orders.get(order_id)
    if order is None:
        raise NotFound()
    user = current_user()
    if order.user_id != user.id and not user.is_admin:
        current_app.logger.warning('User %s tried to view order %s', user.id, order_id)
        abort(403, 'This is not your order.')
    return render_template('order.html', order=order)
