"""Cost analysis and per-client cost budgets.

Pipeline points:

- before the budget: :class:`PageSizeLimits` (``PAGE_SIZE_EXCEEDED``/``PAGE_SIZE_NEGATIVE``);
- the payer: :class:`BudgetAccounts` (a listed client's bucket, or one per unidentified caller);
- after validation: :meth:`CostAnalyzer.estimate` (built per supergraph from the engine's
  supergraph model, :func:`build_cost_model`);
- before execution: :meth:`BudgetLimiter.admit` (``COST_ESTIMATED_TOO_EXPENSIVE``,
  ``RATE_LIMITED`` with HTTP 429 and ``Retry-After``/``RateLimit`` headers);
- after execution: :meth:`CostAnalyzer.actual`, :meth:`BudgetLimiter.settle` (refund) and
  :func:`cost_extension` for ``extensions.cost``.
"""

from gateway.limits.accounts import BudgetAccount, BudgetAccounts
from gateway.limits.analyzer import CostAnalyzer, CostEstimate
from gateway.limits.buckets import (
    BucketState,
    BucketStore,
    BucketStoreError,
    MemoryBucketStore,
    PrefixRoutedBucketStore,
)
from gateway.limits.budget import ANONYMOUS_CLIENT, BudgetMode, BudgetPolicy
from gateway.limits.cost_model import CostModel
from gateway.limits.errors import (
    COST_ESTIMATED_TOO_EXPENSIVE,
    COST_QUERY_PARSE_FAILURE,
    RATE_LIMITED,
    CostAnalysisError,
    CostModelError,
    CostTooExpensiveError,
    LimitError,
    RateLimitedError,
)
from gateway.limits.factory import build_bucket_store, build_budget_limiter
from gateway.limits.headers import ThrottleStatus, cost_extension, rate_limit_headers
from gateway.limits.limiter import Admission, BudgetLimiter, BudgetUnavailableError
from gateway.limits.model_builder import build_cost_model
from gateway.limits.page_size import (
    PAGE_SIZE_EXCEEDED,
    PAGE_SIZE_NEGATIVE,
    PageSizeLimits,
    PageSizeViolation,
    page_size_refusal,
)
from gateway.limits.redis_buckets import RedisBucketStore
from gateway.limits.settings import (
    CostSettings,
    LimitsSettings,
    PageSizeSettings,
    UnidentifiedCallersSettings,
)
from gateway.limits.stage import CostStage, CostTicket

__all__ = [
    "ANONYMOUS_CLIENT",
    "COST_ESTIMATED_TOO_EXPENSIVE",
    "COST_QUERY_PARSE_FAILURE",
    "PAGE_SIZE_EXCEEDED",
    "PAGE_SIZE_NEGATIVE",
    "RATE_LIMITED",
    "Admission",
    "BucketState",
    "BucketStore",
    "BucketStoreError",
    "BudgetAccount",
    "BudgetAccounts",
    "BudgetLimiter",
    "BudgetMode",
    "BudgetPolicy",
    "BudgetUnavailableError",
    "CostAnalysisError",
    "CostAnalyzer",
    "CostEstimate",
    "CostModel",
    "CostModelError",
    "CostSettings",
    "CostStage",
    "CostTicket",
    "CostTooExpensiveError",
    "LimitError",
    "LimitsSettings",
    "MemoryBucketStore",
    "PageSizeLimits",
    "PageSizeSettings",
    "PageSizeViolation",
    "PrefixRoutedBucketStore",
    "RateLimitedError",
    "RedisBucketStore",
    "ThrottleStatus",
    "UnidentifiedCallersSettings",
    "build_bucket_store",
    "build_budget_limiter",
    "build_cost_model",
    "cost_extension",
    "page_size_refusal",
    "rate_limit_headers",
]
