"""The facilitator's side of Samling: login, programmes, sessions and the agenda editor."""
