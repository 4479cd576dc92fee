"""The reports API: a JSON list of reports, newest first."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, JsonResponse

from .models import Report


def report_list(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/reports/?course_key=...&page=N``: one page of reports."""
    if not settings.FEATURES.get("ENABLE_REPORTS_API"):
        raise Http404("The reports API is turned off (FEATURES['ENABLE_REPORTS_API']).")
    reports = Report.objects.all()
    course_key = request.GET.get("course_key")
    if course_key:
        reports = reports.filter(course_key=course_key)
    page = Paginator(reports, settings.REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse({
        "count": page.paginator.count,
        "page": page.number,
        "results": [
            {"id": report.pk, "name": report.name, "course_key": report.course_key,
             "status": report.status, "created": report.created.isoformat()}
            for report in page
        ],
    })
