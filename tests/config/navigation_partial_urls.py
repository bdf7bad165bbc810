"""A URLconf holding one of the chrome's links (tests/config/test_navigation.py)."""

from django.http import HttpResponse
from django.urls import include
from django.urls import path

board_patterns = ([path("", lambda request: HttpResponse(), name="board")], "social")
urlpatterns = [path("only-the-board/", include(board_patterns))]
