"""Lists API routes, mounted under /api/lists/ by config/api.py."""

from __future__ import annotations

from django.urls import path

from apps.lists.api import views

app_name = "lists-api"
urlpatterns = [
    path("", views.ListListApi.as_view(), name="list"),
    path("mine/", views.ListMineApi.as_view(), name="mine"),
    path("create/", views.ListCreateApi.as_view(), name="create"),
    path("shared/<str:token>/", views.ListSharedApi.as_view(), name="shared"),
    path("<int:list_id>/", views.ListDetailApi.as_view(), name="detail"),
    path("<int:list_id>/update/", views.ListUpdateApi.as_view(), name="update"),
    path("<int:list_id>/delete/", views.ListDeleteApi.as_view(), name="delete"),
    path("<int:list_id>/share-reset/", views.ListShareResetApi.as_view(), name="share-reset"),
    path("<int:list_id>/entries/", views.ListEntryListApi.as_view(), name="entries"),
    path("<int:list_id>/entries/create/", views.ListEntryAddApi.as_view(), name="entry-add"),
    path("<int:list_id>/activity/", views.ListActivityListApi.as_view(), name="activity"),
    path("<int:list_id>/collaborators/", views.ListCollaboratorListApi.as_view(), name="collaborators"),
    path(
        "<int:list_id>/collaborators/create/",
        views.ListCollaboratorInviteApi.as_view(),
        name="collaborator-invite",
    ),
    path(
        "<int:list_id>/collaborators/<int:user_id>/delete/",
        views.ListCollaboratorRemoveApi.as_view(),
        name="collaborator-remove",
    ),
    path("<int:list_id>/like/", views.ListLikeApi.as_view(), name="like"),
    path("<int:list_id>/follow/", views.ListFollowApi.as_view(), name="follow"),
    path("entries/<int:entry_id>/move/", views.ListEntryMoveApi.as_view(), name="entry-move"),
    path("entries/<int:entry_id>/note/", views.ListEntryNoteApi.as_view(), name="entry-note"),
    path("entries/<int:entry_id>/delete/", views.ListEntryRemoveApi.as_view(), name="entry-delete"),
]
