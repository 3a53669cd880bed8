from .util import rt, small_bounds  # noqa: F401 - fixtures
