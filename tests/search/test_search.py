"""Global search: each query shape, ranking, visibility per role, the page and its partial.

Runs on SQLite (LIKE over the Python normalisation) and, with DATABASE_URL, on PostgreSQL
(bigram GIN indexes + LIKE): the same answers are expected from both."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from core.textsearch import bigrams, normalise, search_term, text_contains
from marketing.models import SalesChance
from sales.models import Customer
from search.selectors import global_search
from tests.factories.marketing import SalesChanceFactory
from tests.factories.sales import ContactFactory, CustomerFactory, OrderFactory
from tests.factories.service import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def _names(items) -> set[str]:
    return {item.name for item in items}


def test_normalise_folds_full_width_and_case() -> None:
    assert normalise("ＫＨ２６１２ Ａｂc") == "kh2612 abc"
    assert normalise("  张伟   电话 ") == "张伟 电话"
    assert bigrams("张伟张伟") == ["张伟", "伟张"]


def test_short_and_empty_queries_return_nothing_without_querying(manager) -> None:
    CustomerFactory(manager=manager, name="张")
    with CaptureQueriesContext(connection) as queries:
        for query in ("", " ", "张", "Ｋ", None):
            assert global_search(user=manager, query=query).count == 0
    assert len(queries) == 0


def test_the_query_is_capped() -> None:
    assert len(search_term("张" * 500)) == 50


def test_two_character_chinese_query_finds_customers_contacts_and_chances(manager) -> None:
    customer = CustomerFactory(manager=manager, name="北京瑞丰科技有限公司")
    CustomerFactory(manager=manager, name="上海海通贸易")
    ContactFactory(customer=customer, name="张伟")
    SalesChanceFactory(creator=manager, customer_name="瑞丰集团", contact="李娜")
    results = global_search(user=manager, query="瑞丰")
    assert _names(results.customers) == {"北京瑞丰科技有限公司"}
    assert [chance.customer_name for chance in results.chances] == ["瑞丰集团"]
    assert _names(global_search(user=manager, query="张伟").contacts) == {"张伟"}


def test_phone_fragment_finds_contacts_by_mobile_and_customers_by_phone(manager) -> None:
    customer = CustomerFactory(manager=manager, phone="010-66554321")
    ContactFactory(customer=customer, name="王芳", mobile="13912344321", phone="")
    ContactFactory(customer=customer, name="刘洋", mobile="13800000000", phone="")
    results = global_search(user=manager, query="4321")
    assert _names(results.contacts) == {"王芳"}
    assert [c.pk for c in results.customers] == [customer.pk]


def test_number_prefix_finds_customers_and_orders_case_and_width_folded(manager) -> None:
    customer = CustomerFactory(manager=manager, number="KH26120100001", name="甲")
    CustomerFactory(manager=manager, number="KH25010100001", name="乙")
    OrderFactory(customer=customer, number="DD2612000001")
    assert [c.number for c in global_search(user=manager, query="ｋｈ2612").customers] == [
        customer.number
    ]
    assert [o.number for o in global_search(user=manager, query="dd2612").orders] == [
        "DD2612000001"
    ]
    # A number is matched from its start only.
    assert global_search(user=manager, query="2612010").customers == []


def test_e_mail_and_ticket_number_and_summary(manager) -> None:
    customer = CustomerFactory(manager=manager)
    ContactFactory(customer=customer, name="赵磊", email="Zhao.Lei@Example.com")
    ticket = ServiceRequestFactory(pk=321, customer=customer, title="打印机无法连接网络")
    assert _names(global_search(user=manager, query="zhao.lei").contacts) == {"赵磊"}
    assert [t.pk for t in global_search(user=manager, query="无法连接").tickets] == [ticket.pk]
    assert ticket in global_search(user=manager, query=str(ticket.pk)).tickets


def test_exact_and_prefix_matches_come_before_substrings(manager) -> None:
    CustomerFactory(manager=manager, name="上海海通")
    CustomerFactory(manager=manager, name="海通")
    CustomerFactory(manager=manager, name="海通证券")
    results = global_search(user=manager, query="海通")
    assert [c.name for c in results.customers] == ["海通", "海通证券", "上海海通"]


def test_special_characters_are_literal(manager) -> None:
    CustomerFactory(manager=manager, name="百分之百%公司")
    CustomerFactory(manager=manager, name="百分之百公司")
    assert _names(global_search(user=manager, query="百%").customers) == {"百分之百%公司"}
    assert global_search(user=manager, query="'&|!").count == 0


def test_a_rep_never_finds_another_reps_customer_contact_or_ticket(manager, other_manager) -> None:
    theirs = CustomerFactory(manager=other_manager, name="瑞丰私有客户")
    ContactFactory(customer=theirs, name="瑞丰联系人")
    ServiceRequestFactory(customer=theirs, title="瑞丰的请求", creator=other_manager)
    OrderFactory(customer=theirs, number="DD9999000001")
    SalesChanceFactory(creator=other_manager, customer_name="瑞丰机会")
    assert global_search(user=manager, query="瑞丰").count == 0
    assert global_search(user=manager, query="DD9999").count == 0
    assert global_search(user=other_manager, query="瑞丰").count == 4
    assert len(global_search(user=other_manager, query="DD9999").orders) == 1


def test_shared_customers_are_found_with_their_contacts(manager, other_manager) -> None:
    shared = CustomerFactory(manager=other_manager, name="瑞丰共享客户")
    ContactFactory(customer=shared, name="瑞丰联系人")
    assign_perm("view_customer", manager, shared)
    results = global_search(user=manager, query="瑞丰")
    assert _names(results.customers) == {"瑞丰共享客户"}
    assert _names(results.contacts) == {"瑞丰联系人"}


def test_deleted_customers_and_their_contacts_are_not_found(manager) -> None:
    gone = CustomerFactory(manager=manager, name="瑞丰已删", status=Customer.Status.DELETED)
    ContactFactory(customer=gone, name="瑞丰某人")
    assert global_search(user=manager, query="瑞丰").count == 0


def test_supervisor_and_executive_find_every_customer(supervisor, executive, manager) -> None:
    CustomerFactory(manager=manager, name="瑞丰科技")
    SalesChanceFactory(creator=manager, customer_name="瑞丰", status=SalesChance.Status.UNASSIGNED)
    assert _names(global_search(user=supervisor, query="瑞丰").customers) == {"瑞丰科技"}
    assert len(global_search(user=supervisor, query="瑞丰").chances) == 1
    assert _names(global_search(user=executive, query="瑞丰").customers) == {"瑞丰科技"}


def test_admin_without_customer_rights_finds_no_customers(admin_user, manager) -> None:
    CustomerFactory(manager=manager, name="瑞丰科技")
    assert global_search(user=admin_user, query="瑞丰").customers == []


def test_results_page_and_live_partial(client, manager, django_assert_max_num_queries) -> None:
    customer = CustomerFactory(manager=manager, name="瑞丰科技")
    ContactFactory(customer=customer, name="瑞丰张伟", mobile="13912344321")
    client.force_login(manager)
    url = reverse("search:search")
    page = client.get(url, {"q": "瑞丰"})
    assert page.status_code == 200
    assert "瑞丰科技" in page.content.decode()
    assert b"search-page-form" in page.content
    with django_assert_max_num_queries(9):
        live = client.get(url, {"q": "4321"}, headers={"HX-Request": "true"})
    body = live.content.decode()
    assert "瑞丰张伟" in body
    assert "<html" not in body
    assert reverse("sales:customer-detail", args=[customer.number]) in body


def test_the_top_bar_has_an_accessible_search_form(client, manager) -> None:
    client.force_login(manager)
    body = client.get(reverse("home")).content.decode()
    assert 'role="search"' in body
    assert 'for="global-search-q"' in body
    assert 'hx-trigger="input changed delay:250ms, search"' in body
    assert "js/search.js" in body


@pytest.mark.parametrize("query", ["瑞丰", "4321", "KH2612"])
@pytest.mark.parametrize("who", ["manager", "supervisor"])
def test_live_search_takes_at_most_six_queries(
    request, client, manager, who, query, django_assert_max_num_queries
) -> None:
    """DESIGN §9: a search is ≤ 6 queries (session, the user with their rights, one per kind),
    for each query shape, as a rep and as a supervisor, on SQLite and PostgreSQL alike."""
    customer = CustomerFactory(manager=manager, name="瑞丰科技", phone="010-12344321")
    ContactFactory(customer=customer, name="瑞丰张伟", mobile="13912344321")
    OrderFactory(customer=customer)
    SalesChanceFactory(creator=manager, customer_name="瑞丰科技", title="瑞丰采购")
    ServiceRequestFactory(customer=customer, title="瑞丰咨询")
    client.force_login(request.getfixturevalue(who))
    with django_assert_max_num_queries(6):
        live = client.get(reverse("search:search"), {"q": query}, headers={"HX-Request": "true"})
    assert live.status_code == 200
    assert "瑞丰" in live.content.decode() or query.startswith("KH")


@pytest.mark.django_db
def test_the_matches_are_found_once_before_the_rows_are_read(supervisor) -> None:
    """On PostgreSQL the matches are an array the primary key's index fetches (`= ANY(ARRAY(…))`):
    as `IN (subquery)` the planner sorted a supervisor's whole table by rank first (2 s)."""
    SalesChanceFactory(creator=supervisor, customer_name="瑞丰贸易")
    with CaptureQueriesContext(connection) as queries:
        found = global_search(user=supervisor, query="瑞丰")
    assert [chance.customer_name for chance in found.chances] == ["瑞丰贸易"]
    fenced = "= ANY(ARRAY(SELECT" if connection.vendor == "postgresql" else " IN (SELECT"
    assert any(fenced in query["sql"] and "sal_chance" in query["sql"] for query in queries)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("瑞丰", {"瑞丰电子", "ＡＢ瑞丰"}),  # two characters or more: the bigram index, then LIKE
        ("ab瑞", {"ＡＢ瑞丰"}),  # full width and case folded like the search
        ("丰", {"瑞丰电子", "ＡＢ瑞丰"}),  # one character without case: an exact contains
        ("L", {"Alpha"}),  # one letter: case-insensitive
    ],
)
def test_list_filter_contains_folds_like_the_search(typed, found) -> None:
    for name in ("瑞丰电子", "ＡＢ瑞丰", "Alpha", "Beta"):
        CustomerFactory(name=name)
    matches = Customer.objects.filter(text_contains("name", typed))
    assert set(matches.values_list("name", flat=True)) == found


@pytest.mark.parametrize("typed", ["丰", "'", "\\", ":", "&"])
def test_a_one_character_filter_with_the_character_index_finds_the_same(typed) -> None:
    names = ["瑞丰电子", "ＡＢ瑞丰", "O'Neil", "A\\B", "甲:乙", "A&B", "张 伟", "Beta"]
    for name in names:
        CustomerFactory(name=name)
    with_index = Customer.objects.filter(text_contains("name", typed, char_index=True))
    assert set(with_index.values_list("name", flat=True)) == {n for n in names if typed in n}


def test_the_customer_name_filter_asks_the_character_index_for_one_character() -> None:
    from sales.filters import CustomerFilter

    sql = str(CustomerFilter({"name": "华"}, queryset=Customer.objects.all()).qs.query)
    assert ("search_chars(" in sql) is (connection.vendor == "postgresql")
    assert "search_chars(" not in str(Customer.objects.filter(text_contains("name", "华")).query)


def test_a_one_character_filter_upper_cases_only_for_a_letter() -> None:
    def sql(typed: str) -> str:
        return str(Customer.objects.filter(text_contains("name", typed)).query)

    assert "UPPER(" not in sql("华")
    assert "UPPER(" in sql("l") or connection.vendor == "sqlite"
