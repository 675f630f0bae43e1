"""Signals data from addresses: e-mail domains and network blocks, never whole addresses."""

import ipaddress

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def network_block(address: str) -> str:
    """The /24 (IPv4) or /48 (IPv6) around an address: a signal without keeping the address."""
    text = (address or "").strip()
    if not text:
        return ""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        try:
            return str(ipaddress.ip_network(text, strict=False))
        except ValueError as error:
            raise ValidationError({"network": _("Not an IP address or network.")}) from error
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def email_domain_of(value: str) -> str:
    """`someone@Example.org` or `example.org` → `example.org`."""
    domain = (value or "").strip().rsplit("@", 1)[-1].strip().lower().rstrip(".")
    if len(domain) > 253 or any(c.isspace() for c in domain):
        raise ValidationError({"email_domain": _("Not an e-mail domain.")})
    return domain
