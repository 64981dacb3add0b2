"""`zhenggai keys create|show`: this side's signing key pair for the exchange bundles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from zhenggai.ledger.management.base import ZhenggaiCommand
from zhenggai.public.exchange import BundleError, keys


class Command(ZhenggaiCommand):
    help = "生成或查看本方的数据包签名密钥(内网与公众网站分开部署时用)"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("create", "show"), help="create:生成密钥对;show:显示公钥指纹")
        parser.add_argument("--force", action="store_true", help="已有密钥时仍生成新的(旧公钥随之失效)")

    def handle(self, *args: Any, **options: Any) -> None:
        private = settings.ZHENGGAI_EXCHANGE_KEY
        try:
            if options["action"] == "create":
                public = keys.create(private, replace=options["force"])
                self.stdout.write(f"已生成签名密钥:{private}(请妥善保管,不要交给对方)")
                self.stdout.write(f"公钥:{public},请复制给对方,放在对方数据目录的 keys/peer.pub")
            own = keys.signing_key(private).public_key()
            self.stdout.write(f"本方公钥指纹:{keys.fingerprint(own)}")
            peer = settings.ZHENGGAI_EXCHANGE_PEER_KEY
            if peer.exists():
                self.stdout.write(f"对方公钥指纹:{keys.fingerprint(keys.verify_key(peer))}({peer})")
            else:
                self.stdout.write(f"尚未放置对方公钥:{peer}")
        except BundleError as exc:
            raise CommandError(exc.message) from None
