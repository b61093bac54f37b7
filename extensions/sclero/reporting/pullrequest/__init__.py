"""Pull-request mode: findings on changed lines are errors, the rest notices, in CI formats."""
