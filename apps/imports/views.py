"""Import pages: upload, progress, review (matched / choose / not found / problems), result.

Every POST calls one service and comes back with a message, as apps.social's ``service_post``
does (that helper lives in a module being split elsewhere, so this app keeps its own copy of
the three lines that matter).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.imports import selectors
from apps.imports import services
from apps.imports import tasks
from apps.imports.models import BatchStatus
from apps.imports.models import ImportBatch
from apps.imports.models import RowStatus
from apps.imports.parsing import MAX_UPLOAD_BYTES
from apps.social.http import AuthedHttpRequest
from apps.social.views.common import service_post
from config.exceptions import ApplicationError

ROWS_PAGE = 50
# Multipart framing around a 50 MB file; a body longer than this cannot hold an allowed file.
UPLOAD_SLACK = 64 * 1024
TABS = (RowStatus.AMBIGUOUS, RowStatus.UNMATCHED, RowStatus.INVALID, RowStatus.MATCHED)


def _batch_url(batch_id: int, **query: str) -> str:
    url = reverse("imports:detail", kwargs={"batch_id": batch_id})
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def _back_to_batch(request: HttpRequest, batch_id: int, *args: Any, **kwargs: Any) -> str:
    """Where a review action returns: the batch page, on the tab and page it was made from."""
    wanted = {key: request.POST.get(key, "") for key in ("show", "page")}
    return _batch_url(batch_id, **{key: value for key, value in wanted.items() if value and value.isalnum()})


@login_required
def import_home(request: AuthedHttpRequest) -> HttpResponse:
    """The upload form and my earlier imports; POST takes an upload."""
    if request.method == "POST":
        # Refused on the declared length, before Django reads (and spools) the body.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > MAX_UPLOAD_BYTES + UPLOAD_SLACK:
            messages.error(request, _("The file is larger than 50 MB; an export is a few MB at most."))
            return redirect("imports:home")
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to import."))
            return redirect("imports:home")
        try:
            batch = services.import_batch_create(
                user=request.user, upload=upload, enqueue_read=tasks.import_batch_read_task.delay
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("imports:home")
        return redirect(_batch_url(batch.pk))
    batches = selectors.import_batches_for_user(user=request.user)[:20]
    return render(request, "imports/home.html", {"batches": batches})


def _batch(request: AuthedHttpRequest, batch_id: int) -> ImportBatch:
    batch = selectors.import_batch_get_for_user(user=request.user, batch_id=batch_id)
    if batch is None:
        raise Http404
    return batch


@login_required
def import_detail(request: AuthedHttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    context: dict[str, Any] = {"batch": batch}
    if batch.status in (BatchStatus.REVIEW, BatchStatus.APPLIED):
        counts = selectors.import_row_counts(batch=batch)
        show = request.GET.get("show", "")
        if show not in TABS:
            show = next((s for s in TABS if counts.get(s)), RowStatus.MATCHED)
        page_obj = Paginator(selectors.import_rows_by_status(batch=batch, status=show), ROWS_PAGE).get_page(
            request.GET.get("page")
        )
        context.update(
            counts=counts,
            show=show,
            page_obj=page_obj,
            tabs=[(s, RowStatus(s).label, counts.get(s, 0)) for s in TABS],
            undecided=batch.rows.filter(status=RowStatus.AMBIGUOUS, title__isnull=True, skip=False).count(),
        )
        context["outcomes"] = {
            name: counts.get(f"outcome:{name}", 0)
            for name in ("created", "updated", "unchanged", "skipped", "failed")
        }
        if show == RowStatus.AMBIGUOUS:
            candidates = selectors.import_candidates(rows=page_obj.object_list)
            for row in page_obj.object_list:
                # A per-page annotation the template reads beside the row's own fields.
                row.candidate_titles = [  # type: ignore[attr-defined]
                    candidates[i] for i in row.candidate_ids if i in candidates
                ]
    return render(request, "imports/detail.html", context)


@service_post(_back_to_batch)
def import_row_choose(request: AuthedHttpRequest, batch_id: int, row_id: int) -> str:
    choice = request.POST.get("title_id") or (request.POST.getlist("title_ids") or [""])[-1]
    if choice == "skip":
        services.import_row_choose(user=request.user, row_id=row_id, title_id=None, batch_id=batch_id)
        return _("Left out of the import.")
    if not choice.isdigit():
        raise ApplicationError(_("Choose a title from the suggestions."))
    services.import_row_choose(user=request.user, row_id=row_id, title_id=int(choice), batch_id=batch_id)
    return _("Title chosen.")


@service_post(_back_to_batch)
def import_row_skip(request: AuthedHttpRequest, batch_id: int, row_id: int) -> str:
    skip = request.POST.get("skip") == "1"
    services.import_row_skip_set(user=request.user, row_id=row_id, skip=skip, batch_id=batch_id)
    return _("Left out of the import.") if skip else _("Back in the import.")


@service_post(_back_to_batch)
def import_apply(request: AuthedHttpRequest, batch_id: int) -> str:
    batch = services.import_batch_apply_request(
        user=request.user, batch_id=batch_id, enqueue_apply=tasks.import_batch_apply_task.delay
    )
    batch.refresh_from_db()
    if batch.status == BatchStatus.APPLIED:
        return _("Imported.")
    return _("Importing… this page shows the result when it is done.")
