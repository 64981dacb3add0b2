"""URLs of the oversight pages (namespace "oversight"). Every name has its row in tests/oversight/test_permissions.py."""

from django.urls import path

from zhenggai.oversight.views import analyses, board, inbox, settings, tasks

app_name = "oversight"

urlpatterns = [
    path("", board.overview, name="overview"),
    path("rounds.csv", board.overview_csv, name="overview_csv"),
    path("rounds/<id:pk>/", board.round_page, name="round"),
    path("rounds/<id:pk>/<slug:name>.csv", board.round_csv, name="round_csv"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks.csv", tasks.task_csv, name="tasks_csv"),
    path("common/", analyses.common_page, name="common"),
    path("common.<str:fmt>", analyses.common_export, name="common_export"),
    path("repeats/", analyses.repeats_page, name="repeats"),
    path("quality/", analyses.quality_page, name="quality"),
    path("quality.csv", analyses.quality_export, name="quality_csv"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/unread/", inbox.unread_badge, name="unread"),
    path("inbox/<id:pk>/read/", inbox.mark_read, name="read"),
    path("inbox/read-all/", inbox.mark_all_read, name="read_all"),
    path("settings/taxonomies/", settings.taxonomies, name="taxonomies"),
    path("settings/categories/<id:pk>/", settings.category_edit, name="category_edit"),
    path("settings/taxonomies/<id:pk>/default/", settings.taxonomy_default, name="taxonomy_default"),
    path("settings/reminders/", settings.reminders, name="reminders"),
    path("settings/reminders/<id:pk>/", settings.reminder_edit, name="reminder_edit"),
]
