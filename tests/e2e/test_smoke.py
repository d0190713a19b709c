import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_admin_login_page_loads(page, axe_violations):
    from articles.models import Page

    assert Page.objects.filter(slug="terms").exists()
    page.goto("/admin/login/")
    assert page.locator("#id_username").is_visible()
    print(axe_violations(page))


def test_second(page):
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name="Journalists").exists()
    page.goto("/admin/login/")
