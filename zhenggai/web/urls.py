"""URLs of the web pages (namespace "web"). Every name here has its row in tests/web/test_permissions.py."""

from django.urls import path

from zhenggai.web.views import account, admin, auth, closure, imports, inspection, my_tasks, rounds, task

app_name = "web"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("account/password/", account.password, name="account_password"),
    path("account/tokens/", account.my_tokens, name="account_tokens"),
    path("tokens/<id:pk>/revoke/", account.revoke, name="token_revoke"),
    path("", rounds.home, name="home"),
    path("rounds/", rounds.rounds, name="rounds"),
    path("rounds/<id:pk>/", rounds.round_detail, name="round"),
    path("inspections/<id:pk>/", inspection.inspection, name="inspection"),
    path("inspections/<id:pk>/export.json", inspection.export, name="export"),
    path("inspections/<id:pk>/results/", inspection.result_add, name="result_add"),
    path("results/<id:pk>/delete/", inspection.result_delete, name="result_delete"),
    path("tasks/<id:pk>/", task.task_page, name="task"),
    path("tasks/<id:pk>/assign/", task.assign, name="task_assign"),
    path("tasks/<id:pk>/status/", task.change_status, name="task_status"),
    path("tasks/<id:pk>/notes/", task.note, name="task_note"),
    path("tasks/<id:pk>/evidence/", task.evidence_upload, name="task_evidence"),
    path("tasks/<id:pk>/closure/request/", closure.ask, name="closure_request"),
    path("tasks/<id:pk>/closure/accept/", closure.accept, name="closure_accept"),
    path("tasks/<id:pk>/closure/return/", closure.send_back, name="closure_return"),
    path("tasks/<id:pk>/closure/reopen/", closure.reopen_task, name="closure_reopen"),
    path("evidence/<id:pk>/", task.evidence_download, name="evidence"),
    path("findings/<id:pk>/pin/", task.pin, name="finding_pin"),
    path("my/tasks/", my_tasks.my_tasks, name="my_tasks"),
    path("import/", imports.upload, name="import"),
    path("import/<id:pk>/", imports.preview, name="import_preview"),
    path("import/<id:pk>/fields/", imports.edit_fields, name="import_fields"),
    path("import/<id:pk>/node/", imports.edit_node, name="import_node"),
    path("import/<id:pk>/confirm/", imports.confirm, name="import_confirm"),
    path("import/<id:pk>/discard/", imports.discard, name="import_discard"),
    path("manage/users/", admin.users, name="manage_users"),
    path("manage/users/<id:pk>/", admin.user_detail, name="manage_user"),
    path("manage/users/<id:pk>/role/", admin.user_role, name="manage_user_role"),
    path("manage/users/<id:pk>/password/", admin.user_password, name="manage_user_password"),
    path("manage/users/<id:pk>/deactivate/", admin.user_deactivate, name="manage_user_deactivate"),
    path("manage/users/<id:pk>/reactivate/", admin.user_reactivate, name="manage_user_reactivate"),
    path("manage/users/<id:pk>/tokens/", account.user_tokens, name="manage_user_tokens"),
    path("manage/units/", admin.units, name="manage_units"),
    path("manage/teams/", admin.teams, name="manage_teams"),
    path("manage/units/<id:pk>/rename/", admin.rename, {"kind": "unit"}, name="manage_unit_rename"),
    path("manage/teams/<id:pk>/rename/", admin.rename, {"kind": "team"}, name="manage_team_rename"),
    path("manage/committees/", admin.committees, name="manage_committees"),
    path("manage/committees/<id:pk>/", admin.committee, name="manage_committee"),
    path("manage/rounds/", admin.rounds, name="manage_rounds"),
]
