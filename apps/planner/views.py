"""The subscription planner page (구독 돌려보기)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.planner.forms import PlanForm
from apps.planner.selectors import subscription_plan_get
from apps.social.http import AuthedHttpRequest


@require_GET
@login_required
def planner_page(request: AuthedHttpRequest) -> HttpResponse:
    """My plan; knobs out of range are named on the page (400) and no plan is drawn."""
    form = PlanForm.from_query(request.GET)
    if not form.is_valid():
        return render(request, "planner/planner.html", {"form": form, "plan": None}, status=400)
    plan = subscription_plan_get(
        user=request.user,
        months=form.cleaned_data["months"],
        per_month=form.cleaned_data["per_month"],
        ads=form.cleaned_data["ads"],
    )
    return render(request, "planner/planner.html", {"form": form, "plan": plan})
