from functools import cached_property
from typing import Any

from tests.access.matrix import Case, allow

# manager1's customer: readers with view-all see it, other_manager gets 404, admins hold no
# documents right (403).
READ = allow("supervisor", "manager", "executive", other_manager=404)
# Adding and deleting: executives only read (403).
CHANGE = allow("supervisor", "manager", other_manager=404)


class DocumentsWorld:
    users: dict[str, Any]

    @cached_property
    def attachment(self) -> Any:
        """manager1's upload on manager1's customer."""
        from documents.services import attachments_add
        from tests.documents import samples

        return attachments_add(
            actor=self.users["manager"],
            kind="customer",
            object_id=self.customer.pk,  # type: ignore[attr-defined]
            files=[samples.upload("合同.pdf", samples.PDF)],
        )[0]


def _panel(kind: str, name: str) -> Any:
    return lambda w: {"kind": kind, "object_id": getattr(w, name).pk}


def _files(world: Any) -> dict[str, Any]:
    from tests.documents import samples

    return {"files": [samples.upload("报价.pdf", samples.PDF)]}


def _attachment(world: Any) -> dict[str, Any]:
    return {"pk": world.attachment.pk}


CASES = [
    Case("documents:panel", READ, kwargs=_panel("customer", "customer"), label="customer"),
    Case("documents:panel", READ, kwargs=_panel("ticket", "ticket"), label="ticket"),
    Case("documents:panel", READ, kwargs=_panel("chance", "chance"), label="chance"),
    Case(
        "documents:panel",
        CHANGE,
        kwargs=_panel("customer", "customer"),
        method="post",
        data=_files,
        label="upload",
    ),
    Case("documents:download", READ, kwargs=_attachment),
    Case("documents:delete", CHANGE, kwargs=_attachment),
    Case(
        "documents:delete",
        allow("supervisor", "manager", ok=302, other_manager=404),
        kwargs=_attachment,
        method="post",
        label="post",
    ),
]
