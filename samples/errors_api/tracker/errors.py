"""The admin blueprint's own error helpers."""
from flask import jsonify


def error_response(status, message):
    response = jsonify({'message': message})
    response.status_code = status
    return response


def bad_request(message):
    return error_response(400, message)


def forbidden(message):
    return error_response(403, message)
