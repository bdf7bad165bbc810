"""My account: addresses, password, connected accounts, export and deletion (/me/account/…)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods

from apps.social.http import AuthedHttpRequest
from apps.social.selectors_account import account_export_collect
from apps.social.selectors_account import account_export_counts
from apps.social.selectors_account import account_export_json
from apps.social.selectors_account import account_export_zip
from apps.social.services.account_data import account_delete
from config.exceptions import ApplicationError

if TYPE_CHECKING:
    from django.http import HttpRequest


def _error_text(exc: ApplicationError) -> str:
    texts = {
        "already_deleted": _("This account was already deleted."),
        "wrong_password": _("The password is not right."),
        "wrong_confirm": _("Type your nickname exactly to confirm."),
    }
    return texts.get((exc.extra or {}).get("code", ""), exc.message)


@login_required
@require_GET
def account_settings(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    counts = account_export_counts(user=user)
    context = {
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "social_accounts": SocialAccount.objects.filter(user=user).order_by("provider"),
        "has_password": user.has_usable_password(),
        "counts": counts,
        "has_data": any(counts.values()),
    }
    return render(request, "social/account.html", context)


@login_required
@require_GET
def account_export(request: AuthedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("json", "zip"):
        raise Http404
    data = account_export_collect(user=request.user)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(account_export_json(data), content_type="application/json; charset=utf-8")
        name = f"moochu-export-{stamp}.json"
    else:
        response = HttpResponse(account_export_zip(data), content_type="application/zip")
        name = f"moochu-export-{stamp}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # A second submit (back button, double click) after the account is gone.
        if request.method == "POST":
            messages.info(request, _("This account was already deleted, or you are signed out."))
        return HttpResponseRedirect(reverse("account_login"))
    context: dict[str, Any] = {"has_password": request.user.has_usable_password()}
    if request.method == "POST":
        try:
            removed = account_delete(
                user=request.user,
                password=request.POST.get("password", ""),
                confirm=request.POST.get("confirm", ""),
            )
        except ApplicationError as exc:
            context["error"] = _error_text(exc)
            return render(request, "social/account_delete.html", context, status=400)
        logout(request)
        request.session["account_deleted"] = removed
        return HttpResponseRedirect(reverse("social:account-deleted"))
    return render(request, "social/account_delete.html", context)


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    removed = request.session.get("account_deleted")
    return render(request, "social/account_deleted.html", {"removed": removed})
