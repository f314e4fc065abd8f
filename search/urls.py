from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("duplicates/", views.DuplicateListView.as_view(), name="duplicates"),
    path("merge/<str:number>/<str:other>/", views.CustomerMergeView.as_view(), name="merge"),
]
