"""The numbers: priors, evidence, posterior, what to look for next, and batch scoring."""
