"""Expert profiles, deployments and needs for experts."""

__all__: list[str] = []
