"""Imports REST API: a batch's status and progress, which the progress bar polls."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.imports.selectors import import_batch_get_for_user
from apps.imports.selectors import import_row_counts
from apps.social.http import AuthedRequest


class ImportBatchDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField()
        # The stubs type Field.source (the attribute a field reads); this field is the batch's source.
        source = serializers.CharField()  # type: ignore[assignment]
        filename = serializers.CharField()
        error = serializers.CharField()
        progress_done = serializers.IntegerField()
        progress_total = serializers.IntegerField()
        counts = serializers.DictField(child=serializers.IntegerField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request: AuthedRequest, batch_id: int) -> Response:
        batch = import_batch_get_for_user(user=request.user, batch_id=batch_id)
        if batch is None:
            raise NotFound
        counts = {} if batch.is_running else import_row_counts(batch=batch)
        data = {
            "id": batch.pk,
            "status": batch.status,
            "source": batch.source,
            "filename": batch.filename,
            "error": batch.error_text,
            "progress_done": batch.progress_done,
            "progress_total": batch.progress_total,
            "counts": counts,
        }
        return Response(self.OutputSerializer(data).data)
