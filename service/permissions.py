"""Who may see and act on which service requests."""

from django.db.models import Q, QuerySet

from accounts.models import User
from sales.models import Customer
from sales.permissions import customer_visibility, visible_customers
from service.models import ServiceRequest

CREATE_RIGHT = "service.add_servicerequest"
ALLOCATE_RIGHT = "service.allocate_servicerequest"
HANDLE_RIGHT = "service.handle_servicerequest"
FEEDBACK_RIGHT = "service.feedback_servicerequest"


def visible_service_requests(
    user: User, customer: Customer | None = None, *, per_row: bool = False
) -> QuerySet[ServiceRequest]:
    """Requests of the customers the user may see, plus those allocated to or handled by them;
    all of them with the allocate right. `customer`: only that customer's requests. `per_row`:
    the customer's visibility tested row by row (`customer_visibility`), for few candidates."""
    requests = ServiceRequest.objects.all()
    if not user.is_authenticated or not user.is_active:
        return requests.none()
    if customer is not None:
        requests = requests.filter(customer=customer)
    if user.has_perm(ALLOCATE_RIGHT):
        return requests
    return requests.filter(
        customer_visibility(user, customer=customer, per_row=per_row)
        | Q(assignee=user)
        | Q(handler=user)
    )


def can_create_service_request(user: User, customer: Customer) -> bool:
    """Record a request for a customer the user may see."""
    return user.has_perm(CREATE_RIGHT) and visible_customers(user).filter(pk=customer.pk).exists()


def can_delete_service_request(user: User, request: ServiceRequest) -> bool:
    """Delete a request not yet allocated: holders of the allocate right."""
    return can_allocate_service_request(user, request)


def can_allocate_service_request(user: User, request: ServiceRequest) -> bool:
    return request.status == ServiceRequest.Status.NEW and user.has_perm(ALLOCATE_RIGHT)


def can_handle_service_request(user: User, request: ServiceRequest) -> bool:
    return (
        request.status == ServiceRequest.Status.ALLOCATED
        and request.assignee_id == user.pk
        and user.has_perm(HANDLE_RIGHT)
    )


def can_give_feedback(user: User, request: ServiceRequest) -> bool:
    return (
        request.status == ServiceRequest.Status.HANDLED
        and user.has_perm(FEEDBACK_RIGHT)
        and visible_service_requests(user, per_row=True).filter(pk=request.pk).exists()
    )
