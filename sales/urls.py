from django.urls import path

from sales import views

app_name = "sales"

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="customer-list"),
    path("<str:number>/", views.CustomerDetailView.as_view(), name="customer-detail"),
]
