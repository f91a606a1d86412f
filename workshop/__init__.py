"""Samling's core: what the facilitator, participant and exercise sides share."""
