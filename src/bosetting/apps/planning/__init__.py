"""National need, requests (anmodning) and council decisions (vedtak)."""
