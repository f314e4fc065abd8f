"""Quote pages: list (filters, sort, export, empty state, query counts), the form and its line
formset, the detail page's actions, the confirmed steps, the PDF, the customer page's section."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from marketing import services
from marketing.models import Quote
from sales.models import Order
from tests.factories.inventory import ProductFactory
from tests.factories.marketing import QuoteFactory, QuoteLineFactory, SalesChanceFactory
from tests.factories.sales import CustomerFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = timezone.localdate


def _quote(manager, *, customer=None, discount="0", lines=1, **kwargs) -> Quote:
    return services.quote_create(
        actor=manager,
        customer=customer or CustomerFactory(manager=manager),
        lines=[
            {
                "product": ProductFactory(),
                "quantity": 2,
                "unit_price": D("100.00"),
                "discount": D(discount),
            }
            for _ in range(lines)
        ],
        valid_until=TODAY() + datetime.timedelta(days=10),
        **kwargs,
    )


# The list ---------------------------------------------------------------------------------------


def test_the_list_shows_visible_quotes_only(client, manager, other_manager) -> None:
    mine = _quote(manager)
    theirs = _quote(other_manager)
    client.force_login(manager)
    page = client.get(reverse("marketing:quote-list")).content.decode()
    assert mine.number in page
    assert theirs.number not in page


def test_the_list_filters_and_sorts(client, supervisor, manager) -> None:
    customer = CustomerFactory(manager=manager, name="远洋渔业公司")
    first = _quote(manager, customer=customer)
    second = services.quote_submit(actor=manager, quote=_quote(manager))
    client.force_login(supervisor)
    url = reverse("marketing:quote-list")

    def numbers(**query) -> list[str]:
        rows = client.get(url, query).context["object_list"]
        return [quote.number for quote in rows]

    assert numbers() == [second.number, first.number]
    assert numbers(o="id") == [first.number, second.number]
    assert numbers(customer="远洋") == [first.number]
    assert numbers(customer=customer.number) == [first.number]
    assert numbers(status=Quote.Status.APPROVED) == [second.number]
    assert numbers(number=second.number[:-1]) == [second.number, first.number]
    assert numbers(created_from=TODAY().isoformat(), created_to=TODAY().isoformat()) == [
        second.number,
        first.number,
    ]
    assert numbers(created_to=(TODAY() - datetime.timedelta(days=1)).isoformat()) == []
    response = client.get(url, {"created_from": "not a date"})
    assert response.context["filter"].errors


def test_a_deep_page_of_a_rep_s_quotes_reads_its_ids_against_their_customers_hashed(
    client, manager, other_manager
) -> None:
    """Page 12: the ids found with the rep's customers hashed once (on PostgreSQL; SQLite
    tests each row), the rows then read by id; the same page as the list's own order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sales.services import customer_share

    mine, shared = CustomerFactory(manager=manager), CustomerFactory(manager=other_manager)
    customer_share(actor=other_manager, customers=[shared], user=manager, can_edit=False)
    QuoteFactory.create_batch(60, customer=mine)
    QuoteFactory.create_batch(55, customer=shared)
    QuoteFactory.create_batch(20, customer=CustomerFactory(manager=other_manager))
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("marketing:quote-list"), {"page": 12})
    listed = [quote.pk for quote in response.context["object_list"]]
    expected = Quote.objects.filter(customer__in=[mine, shared]).order_by("-id")
    assert listed == list(expected.values_list("pk", flat=True)[110:115])
    (ids,) = [query["sql"] for query in queries if "OFFSET 110" in query["sql"]]
    assert ('JOIN "cst_customer"' in ids) is (connection.vendor == "sqlite")


def test_the_empty_list_says_how_to_start(client, manager) -> None:
    client.force_login(manager)
    response = client.get(reverse("marketing:quote-list"))
    assert b'data-testid="empty-state"' in response.content
    assert "New quote" in response.content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_list_and_detail_query_counts(
    client, supervisor, manager, django_assert_max_num_queries, size
) -> None:
    quotes = [_quote(manager) for _ in range(size)]
    QuoteLineFactory.create_batch(size, quote=quotes[0])
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        client.get(reverse("marketing:quote-list"), {"o": "-amount", "status": 1})
    with django_assert_max_num_queries(12):
        client.get(reverse("marketing:quote-detail", args=[quotes[0].pk]))
    with django_assert_max_num_queries(12):
        client.get(reverse("marketing:quote-edit", args=[quotes[0].pk]))


def test_the_export_is_the_filtered_list_with_formulas_defused(client, manager) -> None:
    customer = CustomerFactory(manager=manager, name="=HYPERLINK(1)")
    quote = _quote(manager, customer=customer)
    _quote(manager)
    client.force_login(manager)
    response = client.get(
        reverse("marketing:quote-export"), {"customer": customer.number, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Quote no.", "Version"]
    assert len(rows) == 2
    assert rows[1][0] == quote.number
    assert rows[1][3] == "'=HYPERLINK(1)"
    assert rows[1][4] == "Draft"
    assert rows[1][9] == "226.00"
    xlsx = client.get(reverse("marketing:quote-export"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.get(reverse("marketing:quote-export"), {"created_from": "x"})
    assert bad.status_code == 302


def test_a_large_export_runs_in_the_background(client, manager, settings) -> None:
    settings.EXPORT_ASYNC_ROWS = 1
    _quote(manager), _quote(manager)
    client.force_login(manager)
    response = client.get(reverse("marketing:quote-export"), {"format": "csv"})
    assert response.status_code == 302
    assert "/jobs/" in response["Location"]


def test_the_customer_search_lists_visible_customers(client, manager, other_manager) -> None:
    CustomerFactory(manager=manager, name="星辰科技")
    CustomerFactory(manager=other_manager, name="星辰贸易")
    client.force_login(manager)
    found = client.get(reverse("marketing:quote-customers"), {"q": "星辰"}).json()["results"]
    assert [row["name"] for row in found] == ["星辰科技"]


# The form ---------------------------------------------------------------------------------------


def _form_data(customer, lines, **fields) -> dict[str, str]:
    data = {
        "customer": customer.number,
        "opportunity": "",
        "valid_until": (TODAY() + datetime.timedelta(days=20)).isoformat(),
        "terms": "款到发货",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        **fields,
    }
    for index, line in enumerate(lines):
        values = {"quantity": "1", "unit": "", "unit_price": "", "discount": "0",
                  "tax_rate": "13", **line}  # fmt: skip
        for name, value in values.items():
            data[f"lines-{index}-{name}"] = str(value)
    return data


def test_a_new_quote_is_saved_with_its_lines(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    product = ProductFactory(price=D("9800.00"), unit="台")
    chance = SalesChanceFactory(creator=manager)
    client.force_login(manager)
    url = reverse("marketing:quote-create")
    assert (
        client.get(url, {"customer": customer.number, "opportunity": chance.pk}).status_code == 200
    )
    data = _form_data(
        customer,
        [{"product": product.pk, "quantity": 3, "discount": "5"},
         {"product": product.pk, "quantity": 1, "DELETE": "on"}],
        opportunity=str(chance.pk),
    )  # fmt: skip
    response = client.post(url, data)
    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("marketing:quote-detail", args=[quote.pk])
    assert (quote.customer, quote.opportunity, quote.terms) == (customer, chance, "款到发货")
    line = quote.lines.get()  # the removed line is gone
    assert (line.quantity, line.unit, line.unit_price) == (3, "台", D("9800.00"))
    assert quote.net_amount == D("27930.00")


def test_the_form_shows_field_errors_and_saves_nothing(client, manager, other_manager) -> None:
    customer = CustomerFactory(manager=manager)
    product = ProductFactory(price=None)
    client.force_login(manager)
    data = _form_data(
        CustomerFactory(manager=other_manager),
        [{"product": product.pk, "quantity": 0, "discount": "120", "tax_rate": ""},
         {"product": product.pk, "quantity": 1}],
        valid_until=(TODAY() - datetime.timedelta(days=1)).isoformat(),
    )  # fmt: skip
    response = client.post(reverse("marketing:quote-create"), data)
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert set(form.errors) == {"customer", "valid_until"}
    assert set(formset.forms[0].errors) == {"quantity", "discount", "tax_rate", "unit_price"}
    assert set(formset.forms[1].errors) == {"unit_price"}  # no price: one is needed
    assert not Quote.objects.exists()
    empty = _form_data(customer, [{"product": "", "quantity": ""}])
    response = client.post(reverse("marketing:quote-create"), empty)
    assert "A quote needs at least one line." in response.content.decode()


def test_adding_a_line_and_recalculating_show_the_page_again(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    product = ProductFactory(price=D("10.00"))
    client.force_login(manager)
    data = _form_data(customer, [{"product": product.pk, "quantity": 3, "discount": "10"}])
    response = client.post(reverse("marketing:quote-create"), {**data, "add_line": "1"})
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    assert not formset.forms[1].errors  # the new, empty line is not an error
    # Saved with the new line left empty: only the filled line is kept.
    data = dict(data)
    data.update({"lines-TOTAL_FORMS": "2", "lines-1-discount": "0", "lines-1-tax_rate": "13"})
    response = client.post(reverse("marketing:quote-create"), data)
    assert response.status_code == 302
    assert Quote.objects.get().lines.count() == 1
    Quote.objects.all().delete()
    response = client.post(reverse("marketing:quote-create"), {**data, "recalculate": "1"})
    totals = response.context["totals"]
    assert (totals.net, totals.tax, totals.gross) == (D("27.00"), D("3.51"), D("30.51"))
    assert not Quote.objects.exists()


def test_a_draft_is_edited_and_its_lines_replaced(client, manager) -> None:
    quote = _quote(manager, lines=2)
    product = ProductFactory(price=D("5.00"))
    client.force_login(manager)
    url = reverse("marketing:quote-edit", args=[quote.pk])
    page = client.get(url)
    assert len(page.context["formset"].forms) == 2
    response = client.post(
        url, _form_data(quote.customer, [{"product": product.pk, "quantity": 4}])
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.lines.get().product == product
    assert quote.net_amount == D("20.00")


def test_only_drafts_are_edited(client, manager) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager))
    client.force_login(manager)
    assert client.get(reverse("marketing:quote-edit", args=[quote.pk])).status_code == 403


def test_a_service_refusal_is_shown_on_the_form(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    chance = SalesChanceFactory()  # not the manager's: hidden
    client.force_login(manager)
    data = _form_data(customer, [{"product": ProductFactory().pk}], opportunity=str(chance.pk))
    response = client.post(reverse("marketing:quote-create"), data)
    assert "opportunity" in response.context["form"].errors


# The detail page and its steps ------------------------------------------------------------------


def test_the_detail_page_offers_the_steps_of_the_status(client, manager, supervisor) -> None:
    quote = _quote(manager, discount="25")
    client.force_login(manager)
    url = reverse("marketing:quote-detail", args=[quote.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="submit-quote"' in page
    assert 'data-testid="edit-quote"' in page
    assert 'data-testid="approve-quote"' not in page
    response = client.post(reverse("marketing:quote-submit", args=[quote.pk]), follow=True)
    assert "submitted for approval" in response.content.decode()
    assert 'data-testid="approve-quote"' not in client.get(url).content.decode()

    client.force_login(supervisor)
    page = client.get(url).content.decode()
    assert 'data-testid="approve-quote"' in page
    step = reverse("marketing:quote-approve", args=[quote.pk])
    assert client.get(step).status_code == 200
    client.post(step, {"comment": "可以"})
    quote.refresh_from_db()
    assert quote.status == Quote.Status.APPROVED

    client.force_login(manager)
    client.post(reverse("marketing:quote-send", args=[quote.pk]))
    page = client.get(url).content.decode()
    assert 'data-testid="accept-quote"' in page
    assert 'data-testid="decline-quote"' in page
    accept = reverse("marketing:quote-accept", args=[quote.pk])
    assert "cannot be undone" in client.get(accept).content.decode()  # a confirmation first
    response = client.post(accept, {"comment": ""}, follow=True)
    quote.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
    assert quote.order.number in response.content.decode()


def test_refusing_approval_needs_a_comment_on_the_form(client, manager, supervisor) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager, discount="25"))
    client.force_login(supervisor)
    url = reverse("marketing:quote-reject", args=[quote.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    client.post(url, {"comment": "折扣过高"})
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DRAFT


def test_decline_and_copy_from_the_page(client, manager) -> None:
    quote = services.quote_send(
        actor=manager, quote=services.quote_submit(actor=manager, quote=_quote(manager))
    )
    client.force_login(manager)
    client.post(reverse("marketing:quote-decline", args=[quote.pk]), {"comment": "预算不足"})
    quote.refresh_from_db()
    assert quote.status == Quote.Status.REJECTED
    response = client.post(reverse("marketing:quote-copy", args=[quote.pk]))
    copy = Quote.objects.get(original=quote)
    assert response["Location"] == reverse("marketing:quote-detail", args=[copy.pk])
    assert copy.number == f"{quote.number}-2"


def test_a_refused_step_is_an_error_message(client, manager) -> None:
    quote = _quote(manager)
    QuoteFactory  # noqa: B018 - imported for the other tests
    quote.lines.all().delete()
    client.force_login(manager)
    response = client.post(reverse("marketing:quote-submit", args=[quote.pk]), follow=True)
    assert str(services.QUOTE_NO_LINES) in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DRAFT


def test_a_step_not_possible_now_is_forbidden(client, manager, supervisor) -> None:
    quote = _quote(manager)
    client.force_login(supervisor)
    assert client.get(reverse("marketing:quote-approve", args=[quote.pk])).status_code == 403
    assert client.get(reverse("marketing:quote-accept", args=[quote.pk])).status_code == 403


def test_the_history_tab_lists_the_changes(client, manager) -> None:
    quote = services.quote_submit(actor=manager, quote=_quote(manager))
    client.force_login(manager)
    response = client.get(reverse("marketing:quote-history", args=[quote.pk]))
    assert response.status_code == 200
    assert len(response.context["object_list"]) >= 2


# PDF ---------------------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.site_language
def test_the_pdf_prints_the_quote_in_chinese(client, manager, settings) -> None:
    settings.COMPANY_NAME = "北京聪海信息科技有限公司"
    customer = CustomerFactory(manager=manager, name="太阳药业")
    quote = _quote(manager, customer=customer, terms="款到发货")
    manager.language = "zh-hans"
    manager.save()
    client.force_login(manager)
    response = client.get(reverse("marketing:quote-pdf", args=[quote.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for expected in ("北京聪海信息科技有限公司", "报价单", quote.number, "太阳药业", "款到发货",
                     "含税", "226.00"):  # fmt: skip
        assert expected in text, expected


def test_the_pdf_reads_in_english_for_an_english_reader(client, manager) -> None:
    quote = _quote(manager)
    client.force_login(manager)
    text = _pdf_text(client.get(reverse("marketing:quote-pdf", args=[quote.pk])).content)
    assert f"Quote {quote.number}" in text
    assert "Total with tax" in text


# Other pages ------------------------------------------------------------------------------------


def test_the_customer_page_lists_its_quotes_and_the_order(client, manager) -> None:
    customer = CustomerFactory(manager=manager)
    quote = services.quote_send(
        actor=manager,
        quote=services.quote_submit(actor=manager, quote=_quote(manager, customer=customer)),
    )
    quote = services.quote_accept(actor=manager, quote=quote)
    client.force_login(manager)
    page = client.get(reverse("sales:customer-detail", args=[customer.number])).content.decode()
    assert 'data-testid="customer-quotes"' in page
    assert quote.number in page
    assert quote.order.number in page
    assert Order.objects.get().customer == customer
    assert f"?customer={customer.number}" in page  # "new quote" from the customer


def test_the_customer_page_has_no_quotes_section_without_the_right(client, admin_user) -> None:
    customer = CustomerFactory(manager=admin_user)
    client.force_login(admin_user)
    response = client.get(reverse("sales:customer-detail", args=[customer.number]))
    assert 'id="quotes"' not in response.content.decode()


def test_the_opportunity_page_links_to_a_new_quote(client, supervisor, manager) -> None:
    chance = SalesChanceFactory(creator=supervisor, assignee=manager, status=2)
    client.force_login(manager)
    page = client.get(reverse("marketing:development-detail", args=[chance.pk])).content.decode()
    assert f"{reverse('marketing:quote-create')}?opportunity={chance.pk}" in page
