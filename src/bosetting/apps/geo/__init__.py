"""Municipalities, counties, regional offices of both agencies, reception centres."""
