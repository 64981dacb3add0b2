"""URLs of the staff side of publishing and opinions (namespace "publication"), mounted at
/publication/. Every name here has its row in tests/public/test_permissions.py."""

from django.urls import path

from zhenggai.public.views import handling, publication

app_name = "publication"

urlpatterns = [
    path("", publication.overview, name="overview"),
    path("inspections/<id:pk>/submit/", publication.submit, name="submit"),
    path("revisions/<id:pk>/", publication.revision, name="revision"),
    path("revisions/<id:pk>/approve/", publication.approve_view, name="approve"),
    path("revisions/<id:pk>/return/", publication.return_view, name="return"),
    path(
        "revisions/<id:pk>/exemptions/<id:exemption>/refuse/",
        publication.refuse_exemption_view,
        name="refuse_exemption",
    ),
    path("reports/<id:pk>/withdraw/", publication.withdraw_view, name="withdraw"),
    path("opinions/", handling.opinion_list, name="opinions"),
    path("opinions/<id:pk>/", handling.opinion_detail, name="opinion"),
    path("opinions/<id:pk>/assign/", handling.assign_view, name="assign"),
    path("opinions/<id:pk>/reply/", handling.reply_view, name="reply"),
    path("opinions/<id:pk>/close/", handling.close_view, name="close"),
]
