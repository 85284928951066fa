"""Staff see firms' link settings, leads and audit requests in the admin."""

import pytest
from django.contrib.auth.models import User

from .conftest import take_selfscore

pytestmark = pytest.mark.django_db


def test_staff_list_and_open_them(client, firm):
    take_selfscore(client, "/b/harbor/")
    staff = User.objects.create_superuser("staff@example.com", "staff@example.com", "x")
    client.force_login(staff)
    for model in ("firmprofile", "lead", "auditrequest"):
        assert client.get(f"/admin/firms/{model}/").status_code == 200, model
    from firms.models import Lead

    assert client.get(f"/admin/firms/lead/{Lead.objects.get().pk}/change/").status_code == 200
