"""Every write of the base-data module."""

from django.db import transaction

from inventory.models import DictItem, DictType

# The original system's dictionary (SEED_SPEC §4.1): (type, item, value, editable).
DEFAULT_DICTIONARY = (
    *((DictType.SERVICE_TYPE, name, name, True) for name in ("咨询", "建议", "投诉")),
    *(
        (DictType.CUSTOMER_LEVEL, name, str(value), False)
        for value, name in enumerate(
            ("普通客户", "重点开发客户", "大客户", "合作伙伴", "战略合作伙伴"), 1
        )
    ),
    *(
        (DictType.REGION, name, name, True)
        for name in ("北京", "华北", "东北", "中南", "西部", "上海")
    ),
    *((DictType.CREDIT, "☆" * value, str(value), False) for value in range(1, 6)),
    *((DictType.SATISFACTION, "☆" * value, str(value), False) for value in range(1, 6)),
    *(
        (DictType.LOSS_STATUS, name, str(value), False)
        for value, name in enumerate(("预警", "暂缓流失", "已经流失"), 1)
    ),
)


@transaction.atomic
def dictionary_seed_defaults(*, using: str = "default") -> None:
    """Fill an empty dictionary with the original system's entries (a fresh or flushed database)."""
    items = DictItem.objects.using(using)
    if items.exists():
        return
    items.bulk_create(
        DictItem(type=type_, item=item, value=value, is_editable=editable)
        for type_, item, value, editable in DEFAULT_DICTIONARY
    )
