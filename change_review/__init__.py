"""``make review``: a CloudFormation change review between a git revision and the working tree.

Both trees are synthesized (in parallel), their templates compared resource by resource, and
each change judged DATA LOSS, REPLACEMENT, BREAKING, UNPROTECTED, WILL FAIL, NO EFFECT or SAFE by the
policy in ``change_review.policy``. ``review_assemblies`` is the pure core on two cloud assembly directories;
``review`` (in ``runner``) is the whole command.
"""

from change_review.compare import review_assemblies
from change_review.core.model import Report, ResourceChange, StackReview, Verdict
from change_review.runner import review

__all__ = ["Report", "ResourceChange", "StackReview", "Verdict", "review", "review_assemblies"]
