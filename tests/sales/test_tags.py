"""Tags: the palette's contrast, the admin page, tagging one and many customers, the filters."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sales import services
from sales.filters import ALL_TAGS_JOINED, TAGS_ALL
from sales.models import TAG_PALETTE, CustomerTag, Tag
from sales.selectors import customer_list
from tests.factories.sales import CustomerFactory, TagFactory

pytestmark = pytest.mark.django_db


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # fails AA


@pytest.mark.parametrize("key", list(TAG_PALETTE))
def test_every_palette_colour_passes_wcag_aa_for_its_text(key):
    background, text = TAG_PALETTE[key]
    assert contrast(background, text) >= 4.5


def test_the_stylesheet_draws_the_same_palette():
    with open("static/css/app.css", encoding="utf-8") as css:
        sheet = css.read()
    for key, (background, text) in TAG_PALETTE.items():
        rule = re.search(rf"\.tag-{key} \{{ background-color: (#\w+); color: (#\w+); \}}", sheet)
        assert rule, key
        assert rule.groups() == (background, text), key
    assert set(TAG_PALETTE) == {choice.value for choice in Tag.Colour}


def test_admin_creates_renames_and_deletes_a_tag(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("sales:tag-create"), {"name": "重点", "colour": "red"})
    assert response.status_code == 302
    tag = Tag.objects.get(name="重点")
    assert client.get(reverse("sales:tag-list")).status_code == 200
    client.post(reverse("sales:tag-edit", args=[tag.pk]), {"name": "VIP", "colour": "yellow"})
    tag.refresh_from_db()
    assert (tag.name, tag.colour) == ("VIP", "yellow")
    # Deleting asks first (GET), then deletes on POST; the tag comes off its customers.
    customer = CustomerFactory()
    CustomerTag.objects.create(customer=customer, tag=tag)
    assert client.get(reverse("sales:tag-delete", args=[tag.pk])).status_code == 200
    client.post(reverse("sales:tag-delete", args=[tag.pk]))
    assert not Tag.objects.exists()
    assert not CustomerTag.objects.exists()


def test_tag_names_are_unique_ignoring_case_and_colours_are_from_the_palette(admin_user):
    services.tag_save(actor=admin_user, name="VIP", colour="blue")
    with pytest.raises(ValidationError) as error:
        services.tag_save(actor=admin_user, name="vip ", colour="blue")
    assert services.TAG_NAME_TAKEN in error.value.message_dict["name"]
    with pytest.raises(ValidationError):
        services.tag_save(actor=admin_user, name="新", colour="#123456")
    with pytest.raises(ValidationError) as error:
        services.tag_save(actor=admin_user, name="a\x1fb", colour="blue")
    assert services.TAG_NAME_INVALID in error.value.message_dict["name"]
    assert Tag.objects.count() == 1


def test_only_tag_managers_manage_tags(manager, supervisor):
    for user in (manager, supervisor):
        with pytest.raises(ValidationError, match=str(services.TAGS_DENIED)):
            services.tag_save(actor=user, name="x", colour="blue")
        with pytest.raises(ValidationError, match=str(services.TAGS_DENIED)):
            services.tag_delete(actor=user, tag=TagFactory())


def test_customer_tags_set_replaces_the_tags(client, manager):
    keep, drop, add = TagFactory(), TagFactory(), TagFactory()
    customer = CustomerFactory(manager=manager)
    CustomerTag.objects.bulk_create(
        [CustomerTag(customer=customer, tag=keep), CustomerTag(customer=customer, tag=drop)]
    )
    client.force_login(manager)
    url = reverse("sales:customer-tags", args=[customer.number])
    assert client.get(url).status_code == 200
    response = client.post(url, {"tags": [keep.pk, add.pk]})
    assert response.status_code == 302
    assert set(customer.tags.all()) == {keep, add}
    page = client.get(reverse("sales:customer-detail", args=[customer.number]))
    assert keep.name in page.content.decode()
    assert drop.name not in page.content.decode()


def test_only_editors_tag_a_customer(manager, other_manager, executive):
    customer = CustomerFactory(manager=manager)
    tag = TagFactory()
    for user in (other_manager, executive):
        with pytest.raises(ValidationError):
            services.customer_tags_set(actor=user, customer=customer, tags=[tag])
    assert not customer.tags.exists()


def test_bulk_tag_is_all_or_nothing(manager, other_manager):
    mine = [CustomerFactory(manager=manager) for _ in range(2)]
    theirs = CustomerFactory(manager=other_manager, name="别人的客户")
    tag = TagFactory()
    with pytest.raises(ValidationError) as error:
        services.customer_tags_bulk(actor=manager, customers=[*mine, theirs], tags=[tag])
    assert "别人的客户" in str(error.value)
    assert not CustomerTag.objects.exists()
    assert services.customer_tags_bulk(actor=manager, customers=mine, tags=[tag]) == 2
    # Again: nothing doubles; then remove.
    assert services.customer_tags_bulk(actor=manager, customers=mine, tags=[tag]) == 2
    assert CustomerTag.objects.count() == 2
    services.customer_tags_bulk(actor=manager, customers=mine, tags=[tag], remove=True)
    assert not CustomerTag.objects.exists()
    with pytest.raises(ValidationError, match=str(services.TAGS_NONE_CHOSEN)):
        services.customer_tags_bulk(actor=manager, customers=mine, tags=[])


def test_bulk_tag_page_confirms_then_tags(client, manager):
    customers = [CustomerFactory(manager=manager) for _ in range(2)]
    tag = TagFactory(name="展会客户")
    client.force_login(manager)
    url = reverse("sales:customer-bulk-tag")
    numbers = [customer.number for customer in customers]
    confirm = client.get(url, {"customer": numbers})
    assert confirm.status_code == 200
    assert numbers[0] in confirm.content.decode()
    response = client.post(url, {"customer": numbers, "tags": [tag.pk], "action": "add"})
    assert response.status_code == 302
    assert CustomerTag.objects.filter(tag=tag).count() == 2
    message = client.get(reverse("sales:customer-list")).content.decode()
    assert "2 customers were tagged 展会客户." in message
    # No tag chosen: the form says so, nothing changes.
    again = client.post(url, {"customer": numbers, "action": "remove"})
    assert again.status_code == 200
    assert CustomerTag.objects.count() == 2


def _listed(user, **params):
    bound = customer_list(user=user, filters=params)
    assert bound.is_valid(), bound.form.errors
    return set(bound.qs.values_list("name", flat=True))


def test_tag_filters_any_and_all(supervisor, django_assert_max_num_queries):
    red, blue, green = TagFactory(), TagFactory(), TagFactory()
    both = CustomerFactory(name="both")
    only_red = CustomerFactory(name="red")
    only_blue = CustomerFactory(name="blue")
    CustomerFactory(name="none")
    CustomerTag.objects.bulk_create(
        [
            CustomerTag(customer=both, tag=red),
            CustomerTag(customer=both, tag=blue),
            CustomerTag(customer=both, tag=green),
            CustomerTag(customer=only_red, tag=red),
            CustomerTag(customer=only_blue, tag=blue),
        ]
    )
    ids = [str(red.pk), str(blue.pk)]
    assert _listed(supervisor, tags=ids) == {"both", "red", "blue"}
    assert _listed(supervisor, tags=ids, tags_mode=TAGS_ALL) == {"both"}
    assert _listed(supervisor, tags=[str(red.pk)], tags_mode=TAGS_ALL) == {"both", "red"}
    assert _listed(supervisor, tags=",".join(ids), tags_mode=TAGS_ALL) == {"both"}
    # ALL is one semi-join per tag, and past ALL_TAGS_JOINED tags one grouped subquery.
    sql = str(customer_list(user=supervisor, filters={"tags": ids, "tags_mode": "all"}).qs.query)
    assert sql.count("cst_customer_tag") == 2
    assert "HAVING" not in sql
    assert _listed(supervisor, tags=[*ids, str(green.pk)], tags_mode=TAGS_ALL) == {"both"}
    many = [TagFactory() for _ in range(ALL_TAGS_JOINED - 1)]
    CustomerTag.objects.bulk_create([CustomerTag(customer=both, tag=tag) for tag in many])
    every = [*ids, str(green.pk), *(str(tag.pk) for tag in many)]
    assert _listed(supervisor, tags=every, tags_mode=TAGS_ALL) == {"both"}
    assert _listed(supervisor, tags=[*every[1:], str(TagFactory().pk)], tags_mode=TAGS_ALL) == set()
    filters = {"tags": every, "tags_mode": "all"}
    sql = str(customer_list(user=supervisor, filters=filters).qs.query)
    assert sql.count("cst_customer_tag") == 1
    assert "HAVING" in sql
    bad = customer_list(user=supervisor, filters={"tags": ["999999"]})
    assert not bad.is_valid()


def test_customer_list_shows_tags_in_a_fixed_number_of_queries(
    client, supervisor, django_assert_max_num_queries
):
    tags = [TagFactory() for _ in range(3)]
    for _ in range(12):
        customer = CustomerFactory()
        CustomerTag.objects.bulk_create([CustomerTag(customer=customer, tag=t) for t in tags])
    client.force_login(supervisor)
    query = {"tags": [tags[0].pk, tags[1].pk], "tags_mode": "all"}
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sales:customer-list"), query)
    assert len(response.context["object_list"]) == 10
    assert tags[2].name in response.content.decode()


def test_export_of_the_ticked_customers(client, manager):
    picked, other = CustomerFactory(manager=manager), CustomerFactory(manager=manager)
    client.force_login(manager)
    url = reverse("sales:customer-bulk-export")
    assert client.get(url, {"customer": [picked.number]}).status_code == 200
    response = client.post(url, {"customer": [picked.number], "format": "csv"})
    assert response.status_code == 302
    download = client.get(response["Location"])
    body = b"".join(download.streaming_content if download.streaming else [download.content])
    text = body.decode("utf-8-sig")
    assert picked.number in text
    assert other.number not in text


@pytest.mark.django_db
def test_the_badges_on_lists_and_pages_are_escaped_and_styled(client, manager) -> None:
    """`tag_badges` and `customer_status` (tags, not includes: lists show them on every row)."""
    from sales.models import Customer
    from sales.templatetags.sales import customer_status, tag_badges

    tags = [Tag(name="大客户 <VIP>", colour="red"), Tag(name="A&B", colour="blue")]
    assert tag_badges(tags) == (
        '<span class="badge tag-badge tag-red">大客户 &lt;VIP&gt;</span> '
        '<span class="badge tag-badge tag-blue">A&amp;B</span>'
    )
    assert tag_badges([]) == ""
    for status, css in ((1, "text-bg-success"), (2, "text-bg-danger"), (3, "text-bg-secondary")):
        badge = customer_status(Customer(status=status))
        assert (
            badge
            == f'<span class="badge {css}">{Customer(status=status).get_status_display()}</span>'
        )
    customer = CustomerFactory(manager=manager)
    services.customer_tags_set(actor=manager, customer=customer, tags=[TagFactory(name="重点")])
    client.force_login(manager)
    for url in (
        reverse("sales:customer-list"),
        reverse("sales:customer-detail", args=[customer.number]),
    ):
        assert "tag-badge" in client.get(url).content.decode()
