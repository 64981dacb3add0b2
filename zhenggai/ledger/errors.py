"""Domain errors of the ledger, each with a message in Chinese that the user can read as is.

Views map them to a message or an HTTP status (Forbidden → 403, NotFound → 404, StaleEdit →
409, the rest → 400); `code` is a stable English key for programs and tests.
"""

from __future__ import annotations


class LedgerError(Exception):
    code = "ledger_error"
    default_message = "操作未能完成"

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class Forbidden(LedgerError):
    code = "forbidden"
    default_message = "您没有权限进行此操作"


class NotFound(LedgerError):
    code = "not_found"
    default_message = "未找到该记录，或您无权查看"


class StaleEdit(LedgerError):
    """Someone saved the task since this editor loaded it; their change is kept, ours is not applied."""

    code = "stale_edit"

    def __init__(self, current_version: int) -> None:
        self.current_version = current_version
        super().__init__(f"该任务已被他人修改（当前版本{current_version}），请刷新后再提交，您的内容已保留")


class InvalidTransition(LedgerError):
    code = "invalid_transition"
    default_message = "当前状态下不能进行此操作"


class DuplicateImport(LedgerError):
    code = "duplicate_import"

    def __init__(self, inspection_id: int) -> None:
        self.inspection_id = inspection_id
        super().__init__(f"该报告已导入过（巡察记录编号 {inspection_id}），未重复导入")


class ValidationFailed(LedgerError):
    """Input that breaks a rule; `errors` maps a field name to its messages when there are several."""

    code = "validation_failed"
    default_message = "提交的内容不符合要求"

    def __init__(self, message: str | None = None, *, errors: dict[str, list[str]] | None = None) -> None:
        self.errors = errors or {}
        super().__init__(message)


class EmptyImport(ValidationFailed):
    """A report in which no specific problem was found: an empty ledger nobody could rectify."""

    code = "empty_import"
    default_message = (
        "该文件中未识别出任何具体问题，未导入（空台账无法整改）。请核对文件是否为整改情况报告或反馈问题清单；"
        "如报告中确有问题，可改用 Word、文本或 zhenggai.ledger/1 JSON 格式后重新导入"
    )

    def __init__(self) -> None:
        super().__init__(errors={"findings": ["未识别出任何具体问题"]})


class Busy(Exception):
    """A write lost a race for a lock on every attempt and was rolled back; trying later works.

    Not a `LedgerError`: nothing the user sent is wrong, so no view shows it as a form error;
    the web and API edges answer 503 with this message (`ledger.concurrency`).
    """

    code = "busy"
    status = 503
    message = "系统繁忙：有其他人正在同时修改相关记录，您的修改未能保存，请稍后重试"

    def __init__(self) -> None:
        super().__init__(self.message)
