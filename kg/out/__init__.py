"""Outputs read from built graphs: atomic exports, the browser page, networkx projections. Never reads documents."""
