import pytest

from app import create_app


@pytest.fixture(scope="module")
def client():
    app = create_app()
    with app.test_client() as client:
        yield client


def test_get_users(benchmark, client):
    def get_users():
        response = client.get("/api/users")
        assert response.status_code == 200
        return response

    response = benchmark(get_users)
    assert len(response.get_json()) == 500
