"""The Ed25519 key pairs of the exchange: each side signs with its private key (kept mode 0600 in the
data folder) and verifies the other side with that side's public key, configured by path."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from zhenggai.public.exchange.bundle import BundleError


def public_path(private: Path) -> Path:
    return private.with_suffix(".pub")


def create(private: Path, *, replace: bool = False) -> Path:
    """Write a new key pair at `private` and beside it (.pub); returns the public key's path."""
    if private.exists() and not replace:
        raise BundleError(f"密钥已存在:{private}(如需更换请加 --force,并把新的公钥交给对方)")
    private.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    partial = private.with_suffix(".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    partial.replace(private)
    public = public_path(private)
    public.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return public


def signing_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise BundleError(f"没有本方签名密钥 {path}:请先运行 zhenggai keys create") from None
    except (ValueError, TypeError):
        raise BundleError(f"签名密钥文件 {path} 无法读取(不是 Ed25519 私钥)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleError(f"签名密钥文件 {path} 不是 Ed25519 私钥")
    return key


def verify_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError:
        raise BundleError(
            f"没有对方的公钥 {path}:请把对方 zhenggai keys create 生成的 .pub 文件复制到这里"
            "(或用 ZHENGGAI_EXCHANGE_PEER_KEY 指定其位置)"
        ) from None
    except (ValueError, TypeError):
        raise BundleError(f"对方公钥文件 {path} 无法读取(不是 Ed25519 公钥)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise BundleError(f"对方公钥文件 {path} 不是 Ed25519 公钥")
    return key


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short name of a public key: the first 16 hex digits of the SHA-256 of its raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]
