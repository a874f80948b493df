"""Typed authorization settings, mounted by the lead as ``GatewaySettings.authorization``.

Example::

    authorization:
      mode: enforce
      policies:
        back_office:                       # matched against @policy(policies: [["back_office"]])
          claims: {department: [ops, finance]}
        own_customer:
          callable: mycompany.policies:acts_for_a_customer
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["AuthorizationMode", "AuthorizationSettings", "PolicySettings"]


class AuthorizationMode(StrEnum):
    """What happens to an operation selecting something the caller may not see."""

    #: unauthorized fields are removed before planning and come back null with an error
    ENFORCE = "enforce"
    #: the whole operation is refused
    REJECT = "reject"
    #: nothing is removed; the outcome only reports what would have been (for roll-outs)
    DRY_RUN = "dry_run"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicySettings(_Strict):
    """One named policy: a Python callable, or claims the principal must carry.

    With ``claims``, every listed claim must hold one of the listed values (for a list claim:
    contain one of them).
    """

    callable: str | None = Field(
        default=None,
        pattern=r"^[\w.]+:[\w.]+$",
        description="'package.module:function' taking the Principal, returning bool "
        "(default none).",
    )
    claims: dict[str, list[Any]] | None = Field(
        default=None, description="Claim name -> accepted values (default none)."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> PolicySettings:
        if (self.callable is None) == (self.claims is None):
            raise ValueError("a policy needs exactly one of 'callable' and 'claims'")
        return self


class AuthorizationSettings(_Strict):
    """Field-level authorization from @authenticated, @requiresScopes and @policy."""

    mode: AuthorizationMode = Field(
        default=AuthorizationMode.ENFORCE,
        description="enforce (remove and report), reject (refuse the operation) or dry_run "
        "(report only) (default enforce).",
    )
    policies: dict[str, PolicySettings] = Field(
        default_factory=dict,
        description="Policies by the name @policy uses; an unknown policy never passes "
        "(default none).",
    )
    max_error_paths: int = Field(
        default=100,
        gt=0,
        description="Most UNAUTHORIZED_FIELD_OR_TYPE errors reported per operation (default 100).",
    )
