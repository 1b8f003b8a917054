"""GET /api/users over Flask + Flask-SQLAlchemy on SQLite (the same code in main/ and
pull-request/, except app/users.py)."""
from flask import Flask

from .models import db, seed
from .users import users


def create_app(database_uri: str = "sqlite://", users_count: int = 500) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri
    # One in-memory database for the whole app: every pooled connection would get its own.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": _static_pool()}
    db.init_app(app)
    app.register_blueprint(users)
    with app.app_context():
        db.create_all()
        seed(users_count)
    return app


def _static_pool():
    from sqlalchemy.pool import StaticPool

    return StaticPool
