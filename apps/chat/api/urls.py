from __future__ import annotations

from django.urls import path

from apps.chat.api import views

urlpatterns = [
    path("chat/rooms/", views.RoomListApi.as_view(), name="chat-room-list"),
    path("chat/rooms/create/", views.RoomCreateApi.as_view(), name="chat-room-create"),
    path("chat/rooms/<int:room_id>/invite/", views.RoomInviteApi.as_view(), name="chat-room-invite"),
    path("chat/rooms/<int:room_id>/messages/", views.RoomMessagesApi.as_view(), name="chat-room-messages"),
    path(
        "chat/messages/<int:message_id>/report/", views.MessageReportApi.as_view(), name="chat-message-report"
    ),
]
