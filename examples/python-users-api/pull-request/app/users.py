from flask import Blueprint, jsonify

from .models import User, UserDetail, db

users = Blueprint("users", __name__)


def get_user_details(user_id: int) -> dict:
    detail = db.session.execute(db.select(UserDetail).where(UserDetail.user_id == user_id)).scalar_one()
    return {"bio": detail.bio, "city": detail.city}


@users.get("/api/users")
def get_users():
    # "Refactored": each user's details through the helper, one query per user (N+1).
    rows = db.session.execute(db.select(User)).scalars().all()
    return jsonify(
        [
            {"id": user.id, "name": user.name, "email": user.email, "details": get_user_details(user.id)}
            for user in rows
        ]
    )
