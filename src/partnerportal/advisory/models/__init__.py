"""Advisory cases with their action plans (cases.py) and experts with their deployments
(experts.py): docs/decisions/0014-advisory.md."""

from .cases import *  # noqa: F403
from .experts import *  # noqa: F403
