"""Housing gap analysis: ``GET /api/housing-gap?area=municipality:1201&year=2015``.

Aggregates only (no households), so every role may ask — for areas inside its scope; an area reaching
outside it is 403. The method is in docs/housing.md and ``bosetting.apps.housing.gap``.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from bosetting.api._errors import answers, service_errors, validation_422
from bosetting.api._fields import Line
from bosetting.apps.housing.selectors import AreaError, gap_for

PREFIX = "housing-gap"
router = Router(tags=["housing"])


class GapQuery(Schema):
    area: (
        Line(
            60,
            description="national | county:12 | region:imdi-vest | municipality:1201 "
            "(default: the user's own area)",
        )
        | None
    ) = None
    year: int | None = Field(None, ge=2000, le=2100, description="Default: latest decision year.")


@router.get("", response=answers({200: dict}, 401, 403, 422))
def housing_gap(request: HttpRequest, query: Query[GapQuery]):
    """Households to be settled by size band against available units; ``missing`` per band."""
    try:
        with service_errors("query"):
            report = gap_for(request.user, query.area, query.year)
    except AreaError as exc:
        raise validation_422(ValidationError({"area": str(exc)}), "query") from None
    return report.as_dict()
