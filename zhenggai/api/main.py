"""The API object: authentication, error handlers and the routers, mounted at /api/v1/ in `zhenggai.urls`.

No documentation page: the Swagger UI would load its scripts from a CDN, which an intranet
cannot reach. The OpenAPI description is served at /api/v1/openapi.json for local tools.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from zhenggai.api import (
    admin,
    closure,
    errors,
    evidence,
    imports,
    inspections,
    results,
    rounds,
    tasks,
    token_endpoints,
    users,
    workbooks,
)
from zhenggai.api.auth import AUTH


class Renderer(JSONRenderer):
    """Chinese as characters, not \\u escapes: the answers stay readable in logs and with curl."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012 - ninja's own class attribute


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Plain function names (unique across the routers; a test checks) instead of module paths."""
        return operation.view_func.__name__


api = Api(
    title="整改系统 API",
    version="1",
    description="巡察整改台账的 JSON 接口。认证:Authorization: Bearer <令牌>(zhenggai token create USERNAME 生成),"
    '或同源浏览器会话(需 CSRF 令牌)。错误格式:{"detail": 中文说明, "code": 英文代码}。',
    docs_url=None,
    urls_namespace="api",
    auth=AUTH,
    renderer=Renderer(),
)
errors.install(api)
for module in (
    rounds,
    inspections,
    tasks,
    evidence,
    closure,
    results,
    imports,
    workbooks,
    users,
    admin,
    token_endpoints,
):
    api.add_router("", module.router)
