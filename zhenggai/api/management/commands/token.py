"""`zhenggai token create USERNAME [--name NAME] [--days N]` prints a new API token (shown this once);
`zhenggai token revoke TOKEN|USERNAME [--name NAME]` revokes; `zhenggai token list [USERNAME]` lists."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from zhenggai.api.models import ApiToken
from zhenggai.api.tokens import PREFIX, create_token, default_days, hash_key, revoke_token
from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.org.models import User


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(ZhenggaiCommand):
    help = "管理 API 令牌(Authorization: Bearer <令牌>)"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="create|revoke|list")
        create = sub.add_parser("create", help="为用户生成令牌并输出(只显示这一次)")
        create.add_argument("username", metavar="USERNAME")
        create.add_argument("--name", default="", help="令牌用途,如“报表系统”")
        create.add_argument(
            "--days", type=int, default=None, help=f"有效天数(默认 {default_days()} 天,ZHENGGAI_TOKEN_DAYS 可改)"
        )
        revoke = sub.add_parser("revoke", help="吊销令牌:给出令牌本身,或用户名(可加 --name 只吊销该名称的令牌)")
        revoke.add_argument("target", metavar="TOKEN|USERNAME")
        revoke.add_argument("--name", default=None)
        listing = sub.add_parser("list", help="列出令牌(不含令牌本身)")
        listing.add_argument("username", nargs="?", metavar="USERNAME")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"未找到用户“{username}”")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        token, raw = create_token(user, name=options["name"], days=options["days"])
        sys.stderr.write(
            f"已为 {user.username} 生成 API 令牌,有效期至 {_when(token.expires_at)}(只显示这一次,请妥善保存):\n"
        )
        self.stdout.write(raw)

    def _revoke(self, options: dict[str, Any]) -> None:
        target = options["target"].strip()
        active = ApiToken.objects.filter(revoked_at__isnull=True)
        if target.startswith(PREFIX):
            tokens = list(active.filter(key_hash=hash_key(target)))
        else:
            tokens = active.filter(user=self._user(target))
            if options["name"] is not None:
                tokens = tokens.filter(name=options["name"])
            tokens = list(tokens)
        if not tokens:
            raise CommandError("没有找到可吊销的有效令牌")
        for token in tokens:
            revoke_token(token)
        self.stdout.write(f"已吊销 {len(tokens)} 个令牌")

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if options["username"]:
            tokens = tokens.filter(user=self._user(options["username"]))
        for t in tokens:
            state = f"{t.state} {_when(t.revoked_at)}" if t.revoked else t.state
            self.stdout.write(
                f"{t.pk}\t{t.prefix}…\t{t.user.username}\t{t.name or '-'}\t创建 {_when(t.created_at)}"
                f"\t有效期至 {_when(t.expires_at)}\t最近使用 {_when(t.last_used_at)}\t{state}"
            )
