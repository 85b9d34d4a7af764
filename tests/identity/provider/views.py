"""A JWKS that looks like the provider's — the same key id — but holds another RSA key: a client that
checks signatures must refuse the provider's tokens when pointed at it."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric import rsa
from django.http import JsonResponse
from jwt.algorithms import RSAAlgorithm
from oidc_provider.models import RSAKey

_OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def other_jwks(request):
    keys = []
    for real in RSAKey.objects.all():
        jwk = json.loads(RSAAlgorithm.to_jwk(_OTHER_KEY.public_key()))
        jwk.update({"kid": real.kid, "alg": "RS256", "use": "sig"})
        keys.append(jwk)
    return JsonResponse({"keys": keys})
