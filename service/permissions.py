"""Who may see and act on which service requests."""

from django.db.models import Q, QuerySet

from accounts.models import User
from sales.models import Customer
from sales.permissions import shared_customer_ids
from service.models import ServiceRequest

ALLOCATE_RIGHT = "service.allocate_servicerequest"


def visible_service_requests(user: User) -> QuerySet[ServiceRequest]:
    """Requests of the customers the user may see, plus those allocated to or handled by them;
    all of them with the allocate right."""
    requests = ServiceRequest.objects.all()
    if not user.is_authenticated or not user.is_active:
        return requests.none()
    if user.has_perm(ALLOCATE_RIGHT):
        return requests
    # The customer-visibility rule of `sales.permissions`, written as plain column conditions so
    # that PostgreSQL can use the indexes (a subquery inside an OR cannot).
    own_customers = Q(customer__manager=user) | Q(customer__in=shared_customer_ids(user))
    return requests.filter(
        (own_customers & ~Q(customer__status=Customer.Status.DELETED))
        | Q(assignee=user)
        | Q(handler=user)
    )


def can_allocate_service_request(user: User, request: ServiceRequest) -> bool:
    return request.status == ServiceRequest.Status.NEW and user.has_perm(ALLOCATE_RIGHT)


def can_handle_service_request(user: User, request: ServiceRequest) -> bool:
    return (
        request.status == ServiceRequest.Status.ALLOCATED
        and request.assignee_id == user.pk
        and user.has_perm("service.handle_servicerequest")
    )


def can_give_feedback(user: User, request: ServiceRequest) -> bool:
    return (
        request.status == ServiceRequest.Status.HANDLED
        and user.has_perm("service.feedback_servicerequest")
        and visible_service_requests(user).filter(pk=request.pk).exists()
    )
