from flask import Blueprint, jsonify
from sqlalchemy.orm import joinedload

from .models import User, db

users = Blueprint("users", __name__)


def user_json(user: User) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "details": {"bio": user.details.bio, "city": user.details.city},
    }


@users.get("/api/users")
def get_users():
    # One query: the details come with the users (LEFT OUTER JOIN user_detail).
    rows = db.session.execute(db.select(User).options(joinedload(User.details))).scalars().all()
    return jsonify([user_json(user) for user in rows])
