from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    email = db.Column(db.String(120), nullable=False)
    details = db.relationship("UserDetail", back_populates="user", uselist=False)


class UserDetail(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    bio = db.Column(db.String(400), nullable=False)
    city = db.Column(db.String(80), nullable=False)
    user = db.relationship("User", back_populates="details")


def seed(count: int) -> None:
    for i in range(1, count + 1):
        user = User(id=i, name=f"user {i}", email=f"user{i}@example.com")
        db.session.add(user)
        db.session.add(
            UserDetail(user_id=i, bio=f"Bio of user {i}. " * 8, city=("Lyon", "Oslo", "Lima")[i % 3])
        )
    db.session.commit()
