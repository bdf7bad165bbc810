"""List pages: /lists/…"""

from __future__ import annotations

from django.urls import path

from apps.lists import views

app_name = "lists"
urlpatterns = [
    path("lists/", views.my_lists, name="mine"),
    path("lists/new/", views.list_new, name="new"),
    path("lists/search/", views.list_search_page, name="search"),
    path("lists/s/<str:token>/", views.list_shared, name="shared"),
    path("lists/<int:list_id>/", views.list_detail, name="detail"),
    path("lists/<int:list_id>/edit/", views.list_edit, name="edit"),
    path("lists/<int:list_id>/collaborators/", views.list_collaborators_page, name="collaborators"),
    path("lists/<int:list_id>/activity/", views.list_activity_page, name="activity"),
    path("lists/<int:list_id>/add/", views.entry_add_view, name="entry-add"),
    path("lists/<int:list_id>/like/", views.list_like_view, name="like"),
    path("lists/<int:list_id>/follow/", views.list_follow_view, name="follow"),
    path("lists/<int:list_id>/invite/", views.collaborator_invite_view, name="invite"),
    path(
        "lists/<int:list_id>/collaborators/<int:user_id>/remove/",
        views.collaborator_remove_view,
        name="collaborator-remove",
    ),
    path("lists/<int:list_id>/share-reset/", views.share_reset_view, name="share-reset"),
    path("lists/<int:list_id>/delete/", views.list_delete_view, name="delete"),
    path("lists/entries/<int:entry_id>/move/", views.entry_move_view, name="entry-move"),
    path("lists/entries/<int:entry_id>/note/", views.entry_note_view, name="entry-note"),
    path("lists/entries/<int:entry_id>/remove/", views.entry_remove_view, name="entry-remove"),
]
