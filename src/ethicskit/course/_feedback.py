"""``ethicskit feedback``: generate feedback for graded submissions and release it.

nbgrader writes one HTML feedback file per notebook into ``feedback/`` and
releases it to the exchange, where hub learners fetch it. nbgrader can
release feedback only for submissions that came through the exchange (they
carry its ``submission_secret.txt``); laptop learners, whose zips were
collected, get theirs from ``feedback/LEARNER/MODULE/`` (a facilitator sends it).
"""

from __future__ import annotations

from pathlib import Path

from ethicskit.course._modules import resolve_modules
from ethicskit.course._nbgrader import StepResult, load_config, open_api, run_step


def feedback(names: list[str] | None = None, *, release: bool = True, root: Path | None = None) -> list[StepResult]:
    """Generate (and release) feedback for every graded submission of the named modules."""
    config = load_config(root)
    autograded = Path(config.CourseDirectory.autograded_directory)
    submitted = Path(config.CourseDirectory.submitted_directory)
    api = open_api(config)
    results = []
    for module in resolve_modules(names, root):
        learners = sorted(p.parent.name for p in autograded.glob(f"*/{module.slug}") if p.is_dir())
        for learner_id in learners:
            result = run_step(api, "generate_feedback", module.slug, learner_id)
            via_exchange = (submitted / learner_id / module.slug / "submission_secret.txt").exists()
            if result.success and release and via_exchange:
                result = run_step(api, "release_feedback", module.slug, learner_id)
            results.append(result)
    return results
