from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "zhenggai.public"
    label = "public"
    verbose_name = "公开与群众意见"

    def ready(self) -> None:
        from zhenggai.public import checks, signals  # noqa: F401  (registers checks and receivers)
