"""The rights registry: every menu folder, page and action right, defined once.

`sync_rights()` copies it into `sys_right`; which role holds which right is data, edited by
admins. Pages carry the URL name the menu links to; a page whose URL does not exist yet is left
out of the menu. Codes use Django's ``app_label.codename`` form so views can declare
``permission_required`` and templates can test ``perms``. The legacy ``L0101``… codes of the
original system are kept alongside.
"""

from dataclasses import dataclass, field
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Slugs of the four seeded roles; used only to seed default grants, never to check access.
ADMIN: Final = "admin"
SUPERVISOR: Final = "supervisor"
MANAGER: Final = "manager"
EXECUTIVE: Final = "executive"

# (slug, name, description); names are stored in English and shown translated while unchanged.
DEFAULT_ROLES: Final = (
    (ADMIN, gettext_noop("System administrator"),
     gettext_noop("Manages users, roles and rights; keeps the system running.")),
    (SUPERVISOR, gettext_noop("Sales supervisor"),
     gettext_noop("Assigns opportunities and service requests; oversees the team.")),
    (MANAGER, gettext_noop("Customer manager"),
     gettext_noop("Maintains the customers in their care.")),
    (EXECUTIVE, gettext_noop("Executive"), gettext_noop("Reads the reports and the dashboards.")),
)  # fmt: skip
DEFAULT_ROLE_TEXTS: Final = {slug: (name, description) for slug, name, description in DEFAULT_ROLES}


@dataclass(frozen=True)
class RightDef:
    code: str
    kind: str  # "folder", "page" or "action"
    label: str | Promise
    parent: str | None = None
    url_name: str = ""
    legacy_code: str = ""
    tip: str | Promise = ""
    icon: str = ""
    default_roles: tuple[str, ...] = field(default=())


def _folder(code: str, legacy: str, label: Promise, icon: str) -> RightDef:
    return RightDef(code=code, kind="folder", label=label, legacy_code=legacy, icon=icon)


def _page(
    code: str,
    parent: str,
    legacy: str,
    label: Promise,
    url_name: str,
    roles: tuple[str, ...],
    tip: Promise,
) -> RightDef:
    return RightDef(
        code=code,
        kind="page",
        label=label,
        parent=parent,
        legacy_code=legacy,
        url_name=url_name,
        default_roles=roles,
        tip=tip,
    )


def _action(
    code: str, parent: str, label: Promise, roles: tuple[str, ...], tip: Promise
) -> RightDef:
    return RightDef(
        code=code, kind="action", label=label, parent=parent, default_roles=roles, tip=tip
    )


S, M, E, A = SUPERVISOR, MANAGER, EXECUTIVE, ADMIN

RIGHTS: Final[tuple[RightDef, ...]] = (
    _folder("menu.marketing", "L01", _("Marketing"), "bi-bullseye"),
    _page("marketing.view_chance", "menu.marketing", "L0101", _("Sales opportunities"),
          "marketing:chance-list", (S, M), _("Create, edit and assign sales opportunities")),
    _page("marketing.view_plan", "menu.marketing", "L0102", _("Customer development plans"),
          "marketing:development-list", (S, M),
          _("Plan and execute the development of opportunities")),
    _action("marketing.assign_chance", "menu.marketing", _("Assign opportunities"), (S,),
            _("Assign and re-assign opportunities to customer managers; see all opportunities")),
    _action("marketing.view_all_chances", "menu.marketing", _("View all opportunities"), (S, E),
            _("Read every opportunity and the whole pipeline (dashboards, reports)")),
    _page("marketing.view_board", "menu.marketing", "", _("Pipeline board"),
          "marketing:board", (S, M, E), _("The opportunities by stage; move them between stages")),

    _folder("menu.customers", "L02", _("Customers"), "bi-people"),
    _page("sales.view_customer", "menu.customers", "L0201", _("Customer information"),
          "sales:customer-list", (S, M, E),
          _("Customers, contacts, interactions and order history")),
    _page("sales.view_customerloss", "menu.customers", "L0202", _("Customer loss"),
          "sales:loss-list", (S, M),
          _("Loss warnings, retention measures and confirmed losses")),
    _action("sales.change_customer", "menu.customers", _("Create and edit customers"), (M,),
            _("Create customers and edit them, their contacts and interactions")),
    _action("sales.view_all_customers", "menu.customers", _("View all customers"), (S, E),
            _("See every customer, not only those one manages")),
    _action("sales.transfer_customer", "menu.customers", _("Transfer customers"), (S,),
            _("Move customers from one customer manager to another")),
    _action("sales.merge_customer", "menu.customers", _("Merge customers"), (S,),
            _("Merge a duplicate customer into another: its records move to the survivor")),
    _action("sales.share_customer", "menu.customers", _("Share customers"), (S, M),
            _("Let another user view or edit a customer")),
    _action("sales.handle_loss", "menu.customers", _("Handle customer loss"), (M,),
            _("Record retention measures and confirm losses")),
    _action("sales.export_customer", "menu.customers", _("Export customers"), (S, M, E),
            _("Download customer lists as CSV or XLSX")),
    _action("sales.import_data", "menu.customers", _("Import from the sales system"), (A, S),
            _("Import customers, contacts and orders from CSV or XLSX files")),
    _page("sales.view_customergroup", "menu.customers", "", _("Customer groups"),
          "sales:group-list", (S, M, E),
          _("Saved customer filters: their members among the customers one may see")),
    _action("sales.share_customergroup", "menu.customers", _("Share customer groups"), (S,),
            _("Share customer groups with the team; edit and delete the shared ones")),

    _folder("menu.service", "L03", _("Customer service"), "bi-headset"),
    _page("service.add_servicerequest", "menu.service", "L0301", _("Create service"),
          "service:create", (M,), _("Record a customer's service request")),
    _page("service.allocate_servicerequest", "menu.service", "L0302", _("Allocate service"),
          "service:allocate-list", (S,), _("Allocate new service requests; see all requests")),
    _page("service.handle_servicerequest", "menu.service", "L0303", _("Handle service"),
          "service:handle-list", (M,), _("Handle the service requests allocated to you")),
    _page("service.feedback_servicerequest", "menu.service", "L0304", _("Service feedback"),
          "service:feedback-list", (M,), _("Record the customer's feedback on handled requests")),
    _page("service.view_servicerequest", "menu.service", "L0305", _("Service archive"),
          "service:archive-list", (S, M), _("Query every service request and its history")),

    _folder("menu.tasks", "", _("Tasks"), "bi-check2-square"),
    _page("tasks.view_task", "menu.tasks", "", _("My tasks"), "tasks:list", (S, M),
          _("Tasks, calls and visits with reminders; the calendar feed")),
    _action("tasks.assign_task", "menu.tasks", _("Assign tasks"), (S,),
            _("Create tasks for other users and act on them")),
    _action("tasks.view_all_tasks", "menu.tasks", _("View all tasks"), (S,),
            _("See every user's tasks (of the customers one may see)")),

    _folder("menu.reports", "L04", _("Reports"), "bi-bar-chart"),
    _page("reports.view_contribution", "menu.reports", "L0401", _("Customer contribution"),
          "reports:contribution", (S, M, E), _("Order amount per customer")),
    _page("reports.view_composition", "menu.reports", "L0402", _("Customer composition"),
          "reports:composition", (S, M, E), _("Customers by level, credit or satisfaction")),
    _page("reports.view_service", "menu.reports", "L0403", _("Customer service analysis"),
          "reports:service", (S, M, E), _("Service requests by type")),
    _page("reports.view_loss", "menu.reports", "L0404", _("Customer loss analysis"),
          "reports:loss", (S, M, E), _("Confirmed customer losses")),
    _page("reports.view_forecast", "menu.reports", "", _("Sales forecast"),
          "reports:forecast", (S, M, E), _("Expected amount by month, quarter and year")),
    _page("reports.view_performance", "menu.reports", "", _("Sales performance"),
          "reports:performance", (S, M, E), _("Orders, amount and opportunities per rep")),
    _page("reports.view_product_sales", "menu.reports", "", _("Product sales summary"),
          "reports:product-sales", (S, M, E),
          _("Quantity and amount per product; rising and falling products")),
    _page("reports.view_stage_funnel", "menu.reports", "", _("Stage conversion"),
          "reports:stage-funnel", (S, M, E),
          _("How many opportunities entered each stage and moved on")),
    _action("reports.export_report", "menu.reports", _("Export reports"), (S, M, E),
            _("Download reports as XLSX, PDF or CSV")),
    _page("reports.schedule_report", "menu.reports", "", _("Report e-mails"),
          "reports:subscription-list", (S, M, E), _("Subscribe users to reports sent by e-mail")),
    _action("reports.schedule_report_for_others", "menu.reports",
            _("Report e-mails for others"), (S,),
            _("Send report e-mails to other users, not only to oneself")),

    _folder("menu.base", "L05", _("Base data"), "bi-database"),
    _page("inventory.change_dictitem", "menu.base", "L0501", _("Data dictionary"),
          "inventory:dict-list", (A,),
          _("Regions, customer levels, service types and other lists")),
    _page("inventory.view_product", "menu.base", "L0502", _("Products"),
          "inventory:product-list", (A, M), _("Query product information")),
    _page("inventory.view_stock", "menu.base", "L0503", _("Stock"),
          "inventory:stock-list", (A, M), _("Query stock by product and warehouse")),
    _page("marketing.change_stage", "menu.base", "", _("Opportunity stages"),
          "marketing:stage-list", (A,), _("The stages of development and their win probability")),
    _page("sales.manage_tags", "menu.base", "", _("Tags"), "sales:tag-list", (A,),
          _("The coloured tags of customers and opportunities")),
    _action("inventory.change_product", "menu.base", _("Maintain products and stock"), (A,),
            _("Create, edit, delete and import products and stock")),

    _folder("menu.permissions", "L06", _("Permissions"), "bi-shield-lock"),
    _page("accounts.manage_users", "menu.permissions", "L0601", _("Users"),
          "accounts:user-list", (A,), _("Create users, assign roles, enable and disable accounts")),
    _page("accounts.manage_roles", "menu.permissions", "L0602", _("Roles"),
          "accounts:role-list", (A,), _("Create roles and choose their rights")),
    _page("accounts.view_rights", "menu.permissions", "L0603", _("Rights"),
          "accounts:right-list", (A,), _("The list of all rights")),
    _page("accounts.view_loginattempt", "menu.permissions", "", _("Login attempts"),
          "accounts:login-attempt-list", (A,),
          _("Recent logins and failed attempts; unlock a locked username or address")),
    _page("accounts.view_audit_log", "menu.permissions", "", _("Audit log"), "audit:log", (A,),
          _("Sign-ins, changes of users, roles and rights, transfers, exports and imports")),
    _page("crm.manage_scheduled_jobs", "menu.permissions", "", _("Scheduled jobs"),
          "jobs:scheduled", (A,), _("The fixed background jobs, their last runs; run one now")),

    # Quotes (报价单), under Marketing.
    _page("marketing.view_quote", "menu.marketing", "", _("Quotes"), "marketing:quote-list",
          (S, M, E), _("The quotes of the customers you may see, their PDF and their history")),
    _action("marketing.add_quote", "menu.marketing", _("Write quotes"), (S, M),
            _("Create quotes, edit drafts, submit, send them and record the customer's answer")),
    _action("marketing.approve_quote", "menu.marketing", _("Approve quotes"), (S,),
            _("Approve or refuse discounted quotes of others; change any quote")),

    _folder("menu.documents", "", _("Attachments"), "bi-paperclip"),
    _action("documents.view_attachment", "menu.documents", _("View attachments"), (S, M, E),
            _("See and download the files attached to the records one may see")),
    _action("documents.add_attachment", "menu.documents", _("Add attachments"), (S, M),
            _("Attach files to the records one may see; delete one's own")),
    _action("documents.delete_any_attachment", "menu.documents", _("Delete any attachment"),
            (S,), _("Delete the attachments of others too")),
)  # fmt: skip

RIGHTS_BY_CODE: Final = {right.code: right for right in RIGHTS}


def children_of(code: str) -> list[RightDef]:
    return [right for right in RIGHTS if right.parent == code]


# Campaigns (issue 23.1) and saved list views (issue 23.5) ---------------------------------------

RIGHTS = (  # type: ignore[misc]
    *RIGHTS,
    _page("marketing.view_campaign", "menu.marketing", "", _("Campaigns"),
          "marketing:campaign-list", (S, M, E),
          _("Marketing campaigns: budget, cost, target group and the opportunities they brought")),
    _action("marketing.add_campaign", "menu.marketing", _("Propose campaigns"), (S, M),
            _("Propose campaigns, run one's own approved campaigns and record their log")),
    _action("marketing.approve_campaign", "menu.marketing", _("Approve campaigns"), (S,),
            _("Approve others' campaigns; start, finish, cancel and change any campaign")),
    _page("reports.view_campaign", "menu.reports", "", _("Campaign results"),
          "reports:campaign", (S, M, E),
          _("Per campaign: responses, opportunities won, won amount, cost and ROI")),
    _action("accounts.share_savedview", "menu.customers", _("Share saved list views"), (S,),
            _("Share saved views of the lists (filters and order) with the whole team")),
)  # fmt: skip
RIGHTS_BY_CODE = {right.code: right for right in RIGHTS}  # type: ignore[misc]
