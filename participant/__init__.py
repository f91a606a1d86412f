"""The phone's side of Samling: joining a session and answering on the live page."""
