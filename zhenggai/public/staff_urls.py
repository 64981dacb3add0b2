"""URLs of the staff side of publishing and opinions (namespace "publication"), mounted at
/publication/. Every name here has its row in tests/public/test_permissions.py."""

from django.urls import path

from zhenggai.public.views import handling, publication

app_name = "publication"

urlpatterns = [
    path("", publication.overview, name="overview"),
    path("inspections/<int:pk>/submit/", publication.submit, name="submit"),
    path("revisions/<int:pk>/", publication.revision, name="revision"),
    path("revisions/<int:pk>/approve/", publication.approve_view, name="approve"),
    path("revisions/<int:pk>/return/", publication.return_view, name="return"),
    path("reports/<int:pk>/withdraw/", publication.withdraw_view, name="withdraw"),
    path("opinions/", handling.opinion_list, name="opinions"),
    path("opinions/<int:pk>/", handling.opinion_detail, name="opinion"),
    path("opinions/<int:pk>/assign/", handling.assign_view, name="assign"),
    path("opinions/<int:pk>/reply/", handling.reply_view, name="reply"),
    path("opinions/<int:pk>/close/", handling.close_view, name="close"),
]
