"""How API callers authenticate: a personal API token (`polyvox.accounts`), or the session cookie.

A token request carries no cookie and needs no CSRF token; a cookie request keeps CSRF."""

from ninja.security import django_auth

api_auth = [django_auth]
