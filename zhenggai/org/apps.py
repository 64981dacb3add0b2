from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhenggai.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from django.urls import register_converter

        from zhenggai.ops import checks as deploy_checks  # noqa: F401  (`check --deploy`)
        from zhenggai.org import checks  # noqa: F401  (registers the system checks)
        from zhenggai.params import IdConverter

        # `<id:pk>` in every app's URLs: ids past the database's bigint are a 404, never a database error
        register_converter(IdConverter, "id")
