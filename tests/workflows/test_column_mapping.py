"""Matching an upload's columns: upload, see the suggested mapping and the preview, confirm.

The files are shaped exactly as the tools write them (tests/domain/fixtures/csv): a HubSpot
deals export, a Salesforce opportunity report without its Opportunity ID column and with
its footer, and a German Excel file (UTF-8 with BOM, semicolons, decimal commas).
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Membership
from tests.factories import MembershipFactory
from tests.html_forms import form_values, option_value, read_form, selected_labels
from workflows.models import CandidateWorkflow, ColumnMapping, DataImport, Opportunity

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "domain" / "fixtures" / "csv"
NOT_IN_FILE = "— not in this file —"


@pytest.fixture
def workflow(client):
    member = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(member.user)
    return CandidateWorkflow.objects.create(
        organization=member.organization, name="Inbound follow-up"
    )


def data_url(workflow):
    return f"/orgs/{workflow.organization.slug}/workflows/{workflow.pk}/data/"


def upload_fixture(client, workflow, name, kind="opportunities"):
    """Upload a fixture file; the URL of its mapping screen."""
    raw = (FIXTURES / name).read_bytes()
    reply = client.post(
        data_url(workflow), {"kind": kind, "file": SimpleUploadedFile(name, raw, "text/csv")}
    )
    assert reply.status_code == 302
    data_import = DataImport.objects.latest("pk")
    assert reply["Location"] == f"{data_url(workflow)}{data_import.pk}/mapping/"
    return reply["Location"]


def preview_section(page: str) -> str:
    return re.search(r'<section class="card" id="mapping-preview".*?</section>', page, re.S)[0]


def preview_rows(page: str) -> list[list[str]]:
    """The preview table's cells as a user reads them (text without tags)."""
    body = re.search(
        r"<table class=\"rows-table preview-rows\">.*?<tbody>(.*?)</tbody>", page, re.S
    )
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body[1], re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def checked_key_columns(page: str, url: str) -> list[str]:
    return read_form(page, url).values.get("key_columns", [])


def test_a_salesforce_report_without_an_id_goes_from_upload_to_stored_stages(
    client, workflow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        url = upload_fixture(client, workflow, "salesforce_report_no_id.csv")
    page = client.get(url).content.decode()

    # Nothing is queued before the user confirms; the file is kept.
    assert not queued and DataImport.objects.get().status == "mapping"
    assert not Opportunity.objects.exists()
    shown = selected_labels(page, url)
    assert {name: shown[name] for name in shown if name.startswith("col_")} == {
        "col_opportunity_id": NOT_IN_FILE,
        "col_created_date": "Created Date",
        "col_amount_usd": "Amount",
        "col_ai_flag": NOT_IN_FILE,
        "col_touch_date": NOT_IN_FILE,
        "col_stage": "Stage",
        "col_close_date": "Close Date",
        "col_is_won": NOT_IN_FILE,
        "col_is_closed": NOT_IN_FILE,
    }
    assert checked_key_columns(page, url) == ["Opportunity Name", "Created Date"]
    assert shown["locale"] == "US/UK: comma delimiter, 1,234.56"
    assert "<td>Bright Smiles - Expansion</td>" in page  # the file's first rows as written
    assert "Copyright" not in page  # the report's footer is not a row
    assert "Dates like 03/04/2026 are ambiguous" in preview_section(page)
    assert "No AI touch column: every opportunity counts as non-AI (none)." in page

    # The user picks the US date format; the preview now reads every row.
    us = option_value(page, url, "date_format", "MM/DD/YYYY")
    page = client.post(url, {**form_values(page, url), "date_format": us}).content.decode()
    assert "The first rows read cleanly." in page
    rows = preview_rows(page)
    assert [row[0] for row in rows] == ["2", "3", "4", "5", "6"]
    assert rows[0][1].startswith("k-") and rows[0][2:] == [
        "2026-03-04",
        "12,500.00",
        "won (Closed Won)",
        "2026-04-28",
        "none",
        "—",
    ]
    assert rows[2][4] == "lost (Closed Lost)"

    with django_capture_on_commit_callbacks(execute=True) as queued:
        reply = client.post(url, {**form_values(page, url), "action": "confirm"})
    data_import = DataImport.objects.get()
    assert reply.status_code == 302 and reply["Location"].endswith(f"?watch={data_import.pk}")
    assert len(queued) == 1
    data_import.refresh_from_db()
    assert (data_import.status, data_import.row_count) == ("done", 6), data_import.message
    deals = Opportunity.objects.order_by("created_date")
    assert [d.stage for d in deals] == ["won", "open", "lost", "open", "won", "open"]
    assert deals[0].amount_usd == Decimal("12500.00") and deals[0].crm_stage == "Closed Won"
    assert str(deals[0].close_date) == "2026-04-28"
    assert data_import.options["key_columns"] == ["Opportunity Name", "Created Date"]

    # The same report uploaded again updates the same six deals: the key is stable.
    with django_capture_on_commit_callbacks(execute=True):
        again = upload_fixture(client, workflow, "salesforce_report_no_id.csv")
        page = client.get(again).content.decode()
        client.post(again, {**form_values(page, again), "date_format": us, "action": "confirm"})
    assert DataImport.objects.latest("pk").status == "done"
    assert Opportunity.objects.count() == 6


def test_a_hubspot_deals_export_is_matched_by_its_preset_and_imports_its_stages(
    client, workflow, django_capture_on_commit_callbacks
):
    url = upload_fixture(client, workflow, "hubspot_deals_export.csv")
    page = client.get(url).content.decode()

    shown = selected_labels(page, url)
    assert (shown["col_opportunity_id"], shown["col_created_date"]) == ("Record ID", "Create Date")
    assert (shown["col_stage"], shown["col_ai_flag"]) == ("Deal Stage", "AI Touch")
    assert "The first rows read cleanly." in page
    assert preview_rows(page)[0][1:] == [
        "18234567890",
        "2026-03-04",
        "12,500.00",
        "won (Closed Won)",
        "2026-04-28",
        "generated",
        "—",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**form_values(page, url), "action": "confirm"})

    assert sorted(Opportunity.objects.values_list("stage", flat=True)) == [
        "lost",
        "open",
        "open",
        "open",
        "won",
        "won",
    ]
    assert Opportunity.objects.get(opportunity_id="18234567892").crm_stage == "Closed Lost"
    body = client.get(data_url(workflow)).content.decode()
    assert "Imported" in body and "Waiting for its columns" not in body


def test_a_german_excel_file_is_read_with_semicolons_and_decimal_commas(
    client, workflow, django_capture_on_commit_callbacks
):
    url = upload_fixture(client, workflow, "excel_de_opportunities.csv")
    page = client.get(url).content.decode()

    shown = selected_labels(page, url)
    assert shown["locale"] == "Europe: semicolon delimiter, 1.234,56"
    assert (shown["col_amount_usd"], shown["col_created_date"]) == ("Betrag", "Erstellt am")
    assert checked_key_columns(page, url) == ["Verkaufschance", "Erstellt am"]
    assert "<td>12.500,00</td>" in page  # as written
    row = preview_rows(page)[0]
    assert row[2:4] == ["2026-04-03", "12,500.00"]  # as stored
    assert row[4] == "won (Geschlossen und gewonnen)"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**form_values(page, url), "action": "confirm"})

    assert DataImport.objects.get().status == "done", DataImport.objects.get().message
    amounts = sorted(Opportunity.objects.values_list("amount_usd", flat=True))
    assert amounts == [Decimal("3200.00"), Decimal("8400.50"), Decimal("12500.00"), Decimal(21000)]


def test_switching_the_locale_reads_the_header_again_and_suggests_anew(client, workflow):
    url = upload_fixture(client, workflow, "excel_de_opportunities.csv")
    page = client.get(url).content.decode()

    as_us = client.post(url, {**form_values(page, url), "locale": "us"}).content.decode()

    shown = selected_labels(as_us, url)
    assert shown["locale"].startswith("US/UK") and shown["col_amount_usd"] == NOT_IN_FILE
    assert "Verkaufschance;Firma;Phase;Betrag" in as_us  # one column, as a comma reader sees it
    assert "Choose the column that holds" in preview_section(as_us)


def test_a_mapping_saved_by_name_is_offered_to_its_organization_only(
    client, workflow, django_capture_on_commit_callbacks
):
    url = upload_fixture(client, workflow, "salesforce_report_no_id.csv")
    values = form_values(client.get(url).content.decode(), url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                **values,
                "date_format": "MM/DD/YYYY",
                "save_as": "Our Salesforce report",
                "action": "confirm",
            },
        )
    assert DataImport.objects.get().status == "done"
    saved = ColumnMapping.objects.get()
    assert (saved.organization, saved.kind, saved.name) == (
        workflow.organization,
        "opportunities",
        "Our Salesforce report",
    )
    assert saved.mapping["date_format"] == "MM/DD/YYYY"

    # The next file of this kind offers it, and choosing it applies it.
    url = upload_fixture(client, workflow, "salesforce_report_no_id.csv")
    page = client.get(url).content.decode()
    choice = option_value(page, url, "use", "Our Salesforce report")
    applied = client.post(url, {**form_values(page, url), "use": choice}).content.decode()
    assert selected_labels(applied, url)["date_format"].startswith("MM/DD/YYYY")
    assert selected_labels(applied, url)["use"] == "Our Salesforce report"
    assert "The first rows read cleanly." in applied

    # Another organization neither sees it nor can apply it by its id.
    outsider = MembershipFactory(role=Membership.Role.CLIENT_ADMIN)
    client.force_login(outsider.user)
    theirs = CandidateWorkflow.objects.create(organization=outsider.organization, name="Theirs")
    url = upload_fixture(client, theirs, "salesforce_report_no_id.csv")
    page = client.get(url).content.decode()
    assert "Our Salesforce report" not in page
    forced = client.post(url, {**form_values(page, url), "use": choice}).content.decode()
    assert "Our Salesforce report" not in forced
    assert selected_labels(forced, url)["date_format"].startswith("Detect")


def test_a_change_under_htmx_returns_the_mapping_form_fragment(client, workflow):
    url = upload_fixture(client, workflow, "hubspot_deals_export.csv")
    page = client.get(url).content.decode()

    reply = client.post(url, {**form_values(page, url), "col_stage": ""}, HTTP_HX_REQUEST="true")

    body = reply.content.decode()
    assert reply.status_code == 200
    assert body.lstrip().startswith('<div id="mapping-form">') and "<html" not in body
    assert "No stage column: every opportunity counts as open." in body


def test_one_column_chosen_for_two_fields_stops_the_confirmation(
    client, workflow, django_capture_on_commit_callbacks
):
    url = upload_fixture(client, workflow, "hubspot_deals_export.csv")
    page = client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        reply = client.post(
            url, {**form_values(page, url), "col_close_date": "Create Date", "action": "confirm"}
        )

    assert reply.status_code == 422 and not queued
    assert (
        "The column &quot;Create Date&quot; is chosen for both created_date and close_date"
        in reply.content.decode()
    )
    assert DataImport.objects.get().status == "mapping"


def test_confirming_twice_queues_the_import_once(
    client, workflow, django_capture_on_commit_callbacks
):
    url = upload_fixture(client, workflow, "hubspot_deals_export.csv")
    values = form_values(client.get(url).content.decode(), url)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(url, {**values, "action": "confirm"})
        second = client.post(url, {**values, "action": "confirm"})

    assert len(queued) == 1 and second.status_code == 302
    assert Opportunity.objects.count() == 6


def test_a_refused_import_can_have_its_columns_matched_again(
    client, workflow, django_capture_on_commit_callbacks
):
    url = upload_fixture(client, workflow, "hubspot_deals_export.csv")
    values = form_values(client.get(url).content.decode(), url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**values, "col_amount_usd": "Pipeline", "action": "confirm"})
    assert DataImport.objects.get().failure == "invalid"
    body = client.get(data_url(workflow)).content.decode()
    assert "is not an amount in US dollars" in body
    assert f'href="{url}">change how its columns are matched' in body

    page = client.get(url).content.decode()
    assert selected_labels(page, url)["col_amount_usd"] == "Pipeline"  # as confirmed before
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {**form_values(page, url), "col_amount_usd": "Amount", "action": "confirm"}
        )

    assert DataImport.objects.get().status == "done" and Opportunity.objects.count() == 6


HUBSPOT_HEADER = "Record ID,Create Date,Amount,Deal Stage\r\n"


@pytest.mark.parametrize(
    ("raw", "shown", "status"),
    [
        # UTF-16 with its byte-order mark, as Excel's "Unicode text" writes it.
        (
            (HUBSPOT_HEADER + "1,2026-03-04,100,Closed Won\r\n").encode("utf-16"),
            "won (Closed Won)",
            200,
        ),
        # Windows-1252 ("Latin-1"): the é and € of a French export.
        (
            (HUBSPOT_HEADER + "1,2026-03-04,100,Négociation €\r\n").encode("cp1252"),
            "open (Négociation €)",
            200,
        ),
        # A ragged row: the row is named, its neighbour still previews.
        (
            HUBSPOT_HEADER.encode() + b"1,2026-03-04,100\r\n2,2026-03-05,200,Closed Lost\r\n",
            "This row has 3 values but the header has 4",
            200,
        ),
        # A quote never closed: nothing to confirm until the file is fixed.
        (
            HUBSPOT_HEADER.encode() + b'1,2026-03-04,"100,Closed Won\r\n',
            "Line 2: A quoted value starts on this line and is never closed",
            422,
        ),
        # Header only: nothing to import, said before anything is queued.
        (HUBSPOT_HEADER.encode(), "The file has a header row but no data rows.", 422),
    ],
    ids=["utf-16", "latin-1", "ragged", "unclosed-quote", "header-only"],
)
def test_awkward_files_show_their_rows_or_their_problem_on_the_mapping_screen(
    client, workflow, raw, shown, status, django_capture_on_commit_callbacks
):
    reply = client.post(
        data_url(workflow),
        {"kind": "opportunities", "file": SimpleUploadedFile("deals.csv", raw, "text/csv")},
    )
    url = reply["Location"]

    page = client.get(url)
    assert page.status_code == 200
    assert shown in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            url, {**form_values(page.content.decode(), url), "action": "confirm"}
        )
    assert confirmed.status_code in (302, 422)
    if status == 422:
        assert confirmed.status_code == 422
        assert DataImport.objects.get().status == "mapping"
    else:
        assert DataImport.objects.get().status in ("done", "failed")


@pytest.mark.parametrize(
    "tampered",
    [
        {"date_format": "%Y"},
        {"date_format": "%Y", "locale": "europe"},
        {"date_format": "%Y", "use": "builtin:hubspot"},
        {"locale": "mars"},
        {"use": "saved:987654"},
        {"use": "builtin:pipedrive"},
        {"col_stage": "No Such Column"},
        {"key_columns": ["No Such Column"]},
    ],
)
def test_tampered_choices_are_refused_as_form_errors_never_a_500(client, workflow, tampered):
    url = upload_fixture(client, workflow, "hubspot_deals_export.csv")
    values = form_values(client.get(url).content.decode(), url)

    for action in ("preview", "confirm"):
        reply = client.post(url, {**values, **tampered, "action": action})
        assert reply.status_code in (200, 422), (action, reply.status_code)
    assert DataImport.objects.get().status == "mapping"


def test_a_locale_that_cannot_read_the_header_says_so_and_can_be_switched_back(client, workflow):
    url = upload_fixture(client, workflow, "hubspot_deals_export.csv")
    page = client.get(url).content.decode()

    as_europe = client.post(url, {**form_values(page, url), "locale": "europe"}).content.decode()
    back = client.post(url, {**form_values(as_europe, url), "locale": "us"}).content.decode()

    assert "Line 1: The header row has badly placed quotes." in preview_section(as_europe)
    assert selected_labels(back, url)["col_opportunity_id"] == "Record ID"
    assert "The first rows read cleanly." in back
