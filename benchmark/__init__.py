"""The maturity self-score: definition, scoring, peers and result pages."""
